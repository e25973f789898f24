"""Enrollment metric, table-driven: enrollment events in → course_enrollment_daily rows out."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from edinsights.config import Settings
from edinsights.engine.duckdb_engine import connect, run
from edinsights.events.store import EventStore
from edinsights.metrics.registry import metrics
from tests.conftest import event_line, run_ingest, write_log

COURSE = "course-v1:edX+DemoX+2024"
ACTIVATED, DEACTIVATED, MODE = (
    "edx.course.enrollment.activated",
    "edx.course.enrollment.deactivated",
    "edx.course.enrollment.mode_changed",
)


def enrollment(kind: str, time: str, user: int, mode: str = "audit", course: str = COURSE) -> str:
    return event_line(
        time=time,
        event_type=kind,
        context={"course_id": course, "user_id": 1, "path": "/change_enrollment"},
        event={"course_id": course, "user_id": user, "mode": mode},
    )


def metric_rows(tmp_path: Path, lines: list[str], metric: str, date_to: date) -> list[tuple]:
    """Ingest `lines` into a fresh store and run `metric`; the rows of COURSE, without course_id."""
    store = EventStore(Settings.load(tmp_path / "home").store_path)
    run_ingest(store, write_log(tmp_path / "tracking.log", lines))
    return [row[1:] for row in run(connect(store), metrics()[metric], date_to) if row[0] == COURSE]


# (case, events, computed range end, expected rows (date, count, cumulative_count) for COURSE)
CASES = [
    (
        "enrollments accumulate and carry over days without events",
        [enrollment(ACTIVATED, "2024-01-01T10:00:00Z", 1), enrollment(ACTIVATED, "2024-01-03T10:00:00Z", 2)],
        date(2024, 1, 4),
        [
            (date(2024, 1, 1), 1, 1),
            (date(2024, 1, 2), 1, 1),
            (date(2024, 1, 3), 2, 2),
            (date(2024, 1, 4), 2, 2),
        ],
    ),
    (
        "same-day enroll and unenroll: not enrolled at the end of the day, but known to have enrolled",
        [
            enrollment(ACTIVATED, "2024-01-01T10:00:00Z", 1),
            enrollment(DEACTIVATED, "2024-01-01T11:00:00Z", 1),
        ],
        date(2024, 1, 2),
        [(date(2024, 1, 1), 0, 1), (date(2024, 1, 2), 0, 1)],
    ),
    (
        "out-of-order events are ordered by time",
        [
            enrollment(DEACTIVATED, "2024-01-02T09:00:00Z", 1),
            enrollment(ACTIVATED, "2024-01-01T09:00:00Z", 1),
        ],
        date(2024, 1, 2),
        [(date(2024, 1, 1), 1, 1), (date(2024, 1, 2), 0, 1)],
    ),
    (
        "unenroll before any enroll: enrolled before the logs began, counted from the first day",
        [
            enrollment(ACTIVATED, "2024-01-01T09:00:00Z", 1),
            enrollment(DEACTIVATED, "2024-01-03T09:00:00Z", 2),
        ],
        date(2024, 1, 3),
        [(date(2024, 1, 1), 2, 2), (date(2024, 1, 2), 2, 2), (date(2024, 1, 3), 1, 2)],
    ),
    (
        "repeated activations count once; re-enrolling after unenrolling counts again in count only",
        [
            enrollment(ACTIVATED, "2024-01-01T09:00:00Z", 1),
            enrollment(ACTIVATED, "2024-01-01T09:05:00Z", 1),
            enrollment(DEACTIVATED, "2024-01-02T09:00:00Z", 1),
            enrollment(ACTIVATED, "2024-01-03T09:00:00Z", 1),
        ],
        date(2024, 1, 3),
        [(date(2024, 1, 1), 1, 1), (date(2024, 1, 2), 0, 1), (date(2024, 1, 3), 1, 1)],
    ),
    (
        "a mode change first: enrolled before the logs began",
        [
            enrollment(MODE, "2024-01-02T09:00:00Z", 3, mode="verified"),
            enrollment(ACTIVATED, "2024-01-01T09:00:00Z", 4),
        ],
        date(2024, 1, 2),
        [(date(2024, 1, 1), 2, 2), (date(2024, 1, 2), 2, 2)],
    ),
    (
        "a mode change while unenrolled does not enroll again",
        [
            enrollment(ACTIVATED, "2024-01-01T09:00:00Z", 1),
            enrollment(DEACTIVATED, "2024-01-02T09:00:00Z", 1),
            enrollment(MODE, "2024-01-02T10:00:00Z", 1, mode="verified"),
            enrollment(MODE, "2024-01-03T10:00:00Z", 1, mode="honor"),
        ],
        date(2024, 1, 3),
        [(date(2024, 1, 1), 1, 1), (date(2024, 1, 2), 0, 1), (date(2024, 1, 3), 0, 1)],
    ),
    (
        "at the same instant a deactivation comes after the activation",
        [
            enrollment(DEACTIVATED, "2024-01-01T09:00:00Z", 1),
            enrollment(ACTIVATED, "2024-01-01T09:00:00Z", 1),
        ],
        date(2024, 1, 1),
        [(date(2024, 1, 1), 0, 1)],
    ),
    (
        "non-UTC timestamps land on their UTC day",
        [enrollment(ACTIVATED, "2024-01-01T22:30:00-05:00", 1)],
        date(2024, 1, 2),
        [(date(2024, 1, 2), 1, 1)],
    ),
    (
        "the range ends at date_to: later events are ignored",
        [enrollment(ACTIVATED, "2024-01-01T09:00:00Z", 1), enrollment(ACTIVATED, "2024-01-05T09:00:00Z", 2)],
        date(2024, 1, 2),
        [(date(2024, 1, 1), 1, 1), (date(2024, 1, 2), 1, 1)],
    ),
]


@pytest.mark.parametrize(("case", "lines", "date_to", "expected"), CASES, ids=[case[0] for case in CASES])
def test_enrollment_daily(tmp_path: Path, case: str, lines: list[str], date_to: date, expected: list) -> None:
    assert metric_rows(tmp_path, lines, "enrollment_daily", date_to) == expected


def test_enrollment_daily_agrees_with_the_simulator(tmp_path: Path) -> None:
    import json

    from edinsights.demo.dataset import generate
    from edinsights.demo.simulate import SimulationConfig

    config = SimulationConfig(seed=11, courses=3, learners=500, days=30, start=date(2024, 4, 1))
    generate(config, tmp_path / "sim")
    truth = json.loads((tmp_path / "sim" / "ground_truth.json").read_text())
    store = EventStore(Settings.load(tmp_path / "home").store_path)
    run_ingest(store, tmp_path / "sim" / "logs", workers=2)
    rows = run(connect(store), metrics()["enrollment_daily"], date(2024, 4, 30))
    computed = {(row[0], row[1].isoformat()): row[2] for row in rows}
    compared = 0
    for day in truth["daily"]:
        key = (day["course_id"], day["date"])
        if key in computed:
            assert computed[key] == day["enrolled_end_of_day"] - day["enrolled_unlogged"], key
            compared += 1
    assert compared >= 3 * 25


MODE_CASES = [
    (
        "an upgrade moves a learner from audit to verified; both remember them",
        [
            enrollment(ACTIVATED, "2024-01-01T10:00:00Z", 1, mode="audit"),
            enrollment(ACTIVATED, "2024-01-01T11:00:00Z", 2, mode="audit"),
            enrollment(MODE, "2024-01-02T10:00:00Z", 1, mode="verified"),
        ],
        date(2024, 1, 2),
        [
            (date(2024, 1, 1), "audit", 2, 2),
            (date(2024, 1, 1), "verified", 0, 0),
            (date(2024, 1, 2), "audit", 1, 2),
            (date(2024, 1, 2), "verified", 1, 1),
        ],
    ),
    (
        "unenrolling leaves the mode's count, not its cumulative count",
        [
            enrollment(ACTIVATED, "2024-01-01T10:00:00Z", 1, mode="honor"),
            enrollment(DEACTIVATED, "2024-01-02T10:00:00Z", 1, mode="honor"),
        ],
        date(2024, 1, 2),
        [(date(2024, 1, 1), "honor", 1, 1), (date(2024, 1, 2), "honor", 0, 1)],
    ),
    (
        "enrolled before the logs: the mode of the first event, from the course's first day",
        [
            enrollment(ACTIVATED, "2024-01-01T10:00:00Z", 1, mode="audit"),
            enrollment(DEACTIVATED, "2024-01-02T10:00:00Z", 2, mode="verified"),
        ],
        date(2024, 1, 2),
        [
            (date(2024, 1, 1), "audit", 1, 1),
            (date(2024, 1, 1), "verified", 1, 1),
            (date(2024, 1, 2), "audit", 1, 1),
            (date(2024, 1, 2), "verified", 0, 1),
        ],
    ),
    (
        "a deactivation names the mode the enrollment had by then, a later mode change none",
        [
            enrollment(ACTIVATED, "2024-01-01T10:00:00Z", 1, mode="verified"),
            enrollment(DEACTIVATED, "2024-01-02T10:00:00Z", 1, mode="honor"),
            enrollment(MODE, "2024-01-02T11:00:00Z", 1, mode="audit"),
        ],
        date(2024, 1, 2),
        [
            (date(2024, 1, 1), "audit", 0, 0),
            (date(2024, 1, 1), "honor", 0, 0),
            (date(2024, 1, 1), "verified", 1, 1),
            (date(2024, 1, 2), "audit", 0, 0),
            (date(2024, 1, 2), "honor", 0, 1),
            (date(2024, 1, 2), "verified", 0, 1),
        ],
    ),
    (
        "at the same instant a mode change comes after a deactivation (as the LMS emits them)",
        [
            enrollment(ACTIVATED, "2024-01-01T10:00:00Z", 1, mode="audit"),
            enrollment(MODE, "2024-01-02T10:00:00Z", 1, mode="verified"),
            enrollment(DEACTIVATED, "2024-01-02T10:00:00Z", 1, mode="audit"),
            enrollment(ACTIVATED, "2024-01-03T10:00:00Z", 1, mode="honor"),
        ],
        date(2024, 1, 3),
        [
            (date(2024, 1, 1), "audit", 1, 1),
            (date(2024, 1, 1), "honor", 0, 0),
            (date(2024, 1, 1), "verified", 0, 0),
            (date(2024, 1, 2), "audit", 0, 1),
            (date(2024, 1, 2), "honor", 0, 0),
            (date(2024, 1, 2), "verified", 0, 0),
            (date(2024, 1, 3), "audit", 0, 1),
            (date(2024, 1, 3), "honor", 1, 1),
            (date(2024, 1, 3), "verified", 0, 0),
        ],
    ),
]


@pytest.mark.parametrize(
    ("case", "lines", "date_to", "expected"), MODE_CASES, ids=[case[0] for case in MODE_CASES]
)
def test_enrollment_mode_daily(
    tmp_path: Path, case: str, lines: list[str], date_to: date, expected: list
) -> None:
    assert metric_rows(tmp_path, lines, "enrollment_mode_daily", date_to) == expected


def original_counts_by_mode(history: list[tuple[str, str, str, int]], date_to: date) -> dict:
    """The original pipeline's daily rule (reference §2.1 b.2): {(date, mode): learners enrolled}.

    Each learner's events sorted by (time, type, mode); an activation enrolls, a deactivation
    unenrolls, a mode change leaves the state; after every event the mode is that event's; the
    state and mode at the end of a day carry over to the days without events.
    """
    counts: dict[tuple[date, str], int] = {}
    for user in {event[3] for event in history}:
        days: dict[date, tuple[bool, str]] = {}
        enrolled = False
        for time, kind, mode, _user in sorted(event for event in history if event[3] == user):
            enrolled = kind == ACTIVATED or (enrolled and kind != DEACTIVATED)
            days[date.fromisoformat(time[:10])] = (enrolled, mode)
        day, state = min(days), None
        while day <= date_to:
            state = days.get(day, state)
            counts[(day, state[1])] = counts.get((day, state[1]), 0) + state[0]
            day += timedelta(days=1)
    return counts


def random_history(rng: random.Random, learners: int) -> list[tuple[str, str, str, int]]:
    """Enrollment histories over three days, each beginning with an activation, with ties."""
    history = []
    for user in range(1, learners + 1):
        times = sorted(
            f"2024-01-0{rng.randint(1, 3)}T1{rng.randint(0, 2)}:00:00" for _ in range(rng.randint(1, 6))
        )
        for position, time in enumerate(times):
            kind = ACTIVATED if position == 0 else rng.choice((ACTIVATED, DEACTIVATED, MODE))
            history.append((time, kind, rng.choice(("audit", "honor", "verified")), user))
    return history


@pytest.mark.parametrize("seed", range(12))
def test_counts_by_mode_equal_the_originals(tmp_path: Path, seed: int) -> None:
    """Where the logs hold a learner's whole history, every (day, mode) count is the original's."""
    history = random_history(random.Random(seed), learners=6)
    lines = [enrollment(kind, time + "Z", user, mode=mode) for time, kind, mode, user in history]
    rows = metric_rows(tmp_path, lines, "enrollment_mode_daily", date(2024, 1, 3))
    ours = {(row[0], row[1]): row[2] for row in rows}
    original = original_counts_by_mode(history, date(2024, 1, 3))
    assert {key: count for key, count in ours.items() if count} == {
        key: count for key, count in original.items() if count
    }


def test_modes_add_up_to_the_daily_count(tmp_path: Path) -> None:
    from edinsights.demo.dataset import generate
    from edinsights.demo.simulate import SimulationConfig

    generate(
        SimulationConfig(seed=12, courses=3, learners=300, days=20, start=date(2024, 5, 1)), tmp_path / "sim"
    )
    store = EventStore(Settings.load(tmp_path / "home").store_path)
    run_ingest(store, tmp_path / "sim" / "logs", workers=2)
    connection = connect(store)
    daily = {
        (row[0], row[1]): row[2] for row in run(connection, metrics()["enrollment_daily"], date(2024, 5, 20))
    }
    by_mode: dict[tuple, int] = {}
    for course, day, _mode, count, _cumulative in run(
        connection, metrics()["enrollment_mode_daily"], date(2024, 5, 20)
    ):
        by_mode[(course, day)] = by_mode.get((course, day), 0) + count
    assert daily and by_mode == daily


def test_course_summary(tmp_path: Path) -> None:
    lines = [
        enrollment(ACTIVATED, "2024-01-01T10:00:00Z", 1, mode="audit"),
        enrollment(ACTIVATED, "2024-01-02T10:00:00Z", 2, mode="audit"),
        enrollment(ACTIVATED, "2024-01-09T10:00:00Z", 3, mode="audit"),
        enrollment(DEACTIVATED, "2024-01-10T10:00:00Z", 1, mode="audit"),
        enrollment(ACTIVATED, "2024-01-10T11:00:00Z", 4, mode="verified"),
        enrollment(ACTIVATED, "2024-01-09T12:00:00Z", 5, mode="verified"),
        enrollment(DEACTIVATED, "2024-01-10T12:00:00Z", 5, mode="honor"),
        enrollment(MODE, "2024-01-10T13:00:00Z", 5, mode="audit"),
    ]
    rows = metric_rows(tmp_path, lines, "course_summary", date(2024, 1, 10))
    summary = {row[6]: (row[7], row[8], row[9]) for row in rows}
    # audit: 2 now (users 2, 3), 3 ever (user 5's mode change came after unenrolling); on Jan 3
    # (7 days before) 2 -> change 0.
    # verified: 1 now (user 4), 2 ever (and user 5); none 7 days before -> change +1.
    # honor: user 5's enrollment was honor when it ended: 0 now, 1 ever.
    assert summary == {"audit": (2, 3, 0), "honor": (0, 1, 0), "verified": (1, 2, 1)}
    assert all(row[:6] == (None,) * 6 and row[10] is None for row in rows)
