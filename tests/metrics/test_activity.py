"""Weekly activity, table-driven, and against the simulator's weekly ground truth."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from edinsights.config import Settings
from edinsights.engine.duckdb_engine import connect, run
from edinsights.events.store import EventStore
from edinsights.metrics.registry import metrics
from tests.conftest import event_line, run_ingest, write_log

COURSE = "course-v1:edX+DemoX+2024"


def event(time: str, user: int | None, event_type: str, source: str = "server", **extra: object) -> str:
    context = {"course_id": COURSE, "user_id": user, "path": "/x"}
    return event_line(time=time, event_type=event_type, event_source=source, context=context, **extra)


def weekly(tmp_path: Path, lines: list[str], date_to: date) -> dict[tuple, int]:
    store = EventStore(Settings.load(tmp_path / "home").store_path)
    run_ingest(store, write_log(tmp_path / "t.log", lines))
    rows = run(connect(store), metrics()["course_activity"], date_to)
    return {(row[1].date().isoformat(), row[3]): row[4] for row in rows if row[0] == COURSE}


def test_labels_and_distinct_learners(tmp_path: Path) -> None:
    lines = [
        event("2024-01-01T09:00:00Z", 1, "problem_check"),  # Monday
        event("2024-01-01T09:05:00Z", 1, "problem_check"),
        event("2024-01-02T09:00:00Z", 2, "problem_check", source="browser"),  # browser check: not an attempt
        event("2024-01-03T09:00:00Z", 3, "play_video", source="browser"),
        event("2024-01-03T09:01:00Z", 4, "play_video", source="mobile"),
        event("2024-01-04T09:00:00Z", 5, "edx.forum.thread.created"),
        event("2024-01-04T09:00:00Z", 6, "edx.forum.thread.voted"),  # a vote is not a post
        event("2024-01-05T09:00:00Z", 7, "edx.course.enrollment.activated"),  # enrollment: not activity
        event("2024-01-05T10:00:00Z", 8, "problem_rescore", source="task"),  # task events: not activity
        event("2024-01-06T10:00:00Z", None, "page_close", source="browser"),  # not signed in
        event("2024-01-07T23:59:59Z", 9, "/courses/x/courseware/"),  # Sunday: same week
        event("2024-01-08T00:00:00Z", 9, "/courses/x/courseware/"),  # Monday: next week
    ]
    assert weekly(tmp_path, lines, date(2024, 1, 8)) == {
        ("2024-01-01", "ACTIVE"): 7,
        ("2024-01-01", "ATTEMPTED_PROBLEM"): 1,
        ("2024-01-01", "PLAYED_VIDEO"): 2,
        ("2024-01-01", "POSTED_FORUM"): 1,
        ("2024-01-08", "ACTIVE"): 1,
    }


# edx.grades.problem.submitted (beyond the original): an attempt for graded problems that are
# not capa problems; a capa problem's own problem_check already counts its submission.
GRADED = [
    ("block-v1:edX+DemoX+2024+type@drag-and-drop-v2+block@d1", True),
    ("block-v1:edX+DemoX+2024+type@openassessment+block@o1", True),
    ("ccx-block-v1:edX+DemoX+2024+ccx@3+type@lti_consumer+block@l1", True),
    ("i4x://edX/DemoX/lti/l2", True),
    ("block-v1:edX+DemoX+2024+type@problem+block@p1", False),
    ("i4x://edX/DemoX/problem/p2", False),
    ("not-a-usage-key", False),  # no block type: cannot tell it from a capa problem
    (None, False),
]


@pytest.mark.parametrize(("problem_id", "counted"), GRADED)
def test_graded_submissions_of_other_problems_are_attempts(
    tmp_path: Path, problem_id: str | None, counted: bool
) -> None:
    payload = {"problem_id": problem_id, "weighted_earned": 1.0, "weighted_possible": 1.0}
    lines = [event("2024-01-03T09:00:00Z", 1, "edx.grades.problem.submitted", event=payload, username="u1")]
    store = EventStore(Settings.load(tmp_path / "home").store_path)
    run_ingest(store, write_log(tmp_path / "t.log", lines))
    weeks = run(connect(store), metrics()["course_activity"], date(2024, 1, 7))
    assert [row[3] for row in weeks] == (["ACTIVE", "ATTEMPTED_PROBLEM"] if counted else ["ACTIVE"])
    engagement = run(connect(store), metrics()["module_engagement"], date(2024, 1, 7))
    # An attempt, never a completion: the grade is not read.
    assert [(row[1], row[3], row[4], row[5], row[6]) for row in engagement] == (
        [("u1", "problem", problem_id, "attempted", 1)] if counted else []
    )


def test_week_boundaries_are_utc(tmp_path: Path) -> None:
    lines = [event("2024-01-07T20:00:00-05:00", 1, "play_video", source="browser")]  # Monday 01:00 UTC
    result = weekly(tmp_path, lines, date(2024, 1, 8))
    assert result == {("2024-01-08", "ACTIVE"): 1, ("2024-01-08", "PLAYED_VIDEO"): 1}


def test_interval_is_monday_to_monday(tmp_path: Path) -> None:
    store = EventStore(Settings.load(tmp_path / "home").store_path)
    run_ingest(store, write_log(tmp_path / "t.log", [event("2024-01-03T09:00:00Z", 1, "x")]))
    [row] = run(connect(store), metrics()["course_activity"], date(2024, 1, 3))
    assert row[1:3] == (datetime(2024, 1, 1), datetime(2024, 1, 8))


def test_course_activity_agrees_with_the_simulator(tmp_path: Path) -> None:
    from edinsights.demo.dataset import generate
    from edinsights.demo.simulate import SimulationConfig

    generate(
        SimulationConfig(seed=13, courses=3, learners=400, days=28, start=date(2024, 6, 3)), tmp_path / "sim"
    )
    truth = json.loads((tmp_path / "sim" / "ground_truth.json").read_text())
    store = EventStore(Settings.load(tmp_path / "home").store_path)
    run_ingest(store, tmp_path / "sim" / "logs", workers=2)
    rows = run(connect(store), metrics()["course_activity"], date(2024, 6, 30))
    computed = {(row[0], row[1].date().isoformat(), row[3]): row[4] for row in rows}
    labels = {
        "active": "ACTIVE",
        "played_video": "PLAYED_VIDEO",
        "attempted_problem": "ATTEMPTED_PROBLEM",
        "posted_forum": "POSTED_FORUM",
    }
    compared = 0
    for week in truth["weekly"]:
        for key, label in labels.items():
            assert computed.get((week["course_id"], week["week_start"], label), 0) == week[key], (week, label)
            compared += 1
    assert compared >= 8 * 4  # most course-weeks (courses start at different dates)
