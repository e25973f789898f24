"""Learner engagement per day and entity, and the course's engagement ranges, on every backend."""

from __future__ import annotations

import itertools
import math
from datetime import date
from pathlib import Path

import duckdb
import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edinsights.families.engagement.metrics import RANGES
from tests.conftest import event_line, published

COURSE = "course-v1:edX+DemoX+2024"
OTHER = "course-v1:edX+Other+2024"


def event(
    day: int, minute: int, user: int, event_type: str, source: str = "server", **payload: object
) -> str:
    """An event of learner `user` (username u<user>) on 2024-01-<day> at 10:<minute>."""
    return event_line(
        time=f"2024-01-{day:02d}T10:{minute:02d}:00Z",
        username=f"u{user}",
        event_type=event_type,
        event_source=source,
        context={"course_id": COURSE, "user_id": user, "path": "/x"},
        event=payload,
    )


def attempt(day: int, minute: int, user: int, problem: str, correct: bool) -> str:
    return event(
        day, minute, user, "problem_check", problem_id=problem, success="correct" if correct else "incorrect"
    )


def test_engagement_per_learner_day_and_entity(tmp_path: Path, result_db: str) -> None:
    lines = [
        attempt(3, 1, 1, "p1", False),
        attempt(3, 2, 1, "p1", True),
        attempt(3, 3, 1, "p2", False),
        attempt(4, 1, 1, "p2", True),  # next day: rows of its own
        event(4, 2, 1, "problem_check", problem_id="p3", success="Correct"),  # in any case
        event(3, 4, 1, "problem_check", source="browser", problem_id="p1"),  # not a submission
        event(3, 5, 1, "play_video", source="browser", id="v1"),
        event(3, 6, 1, "play_video", source="browser", id="v1"),
        event(3, 7, 2, "play_video", source="mobile", id="block-v1:edX+DemoX+2024+type@video+block@v1"),
        event(3, 8, 2, "pause_video", source="browser", id="v1"),  # pauses are not views
        event(3, 9, 2, "edx.forum.thread.created", commentable_id="general"),
        event(3, 10, 2, "edx.forum.response.created", commentable_id="general"),
        event(3, 11, 2, "edx.forum.thread.voted", commentable_id="general"),  # a vote is no contribution
    ]
    rows = published(tmp_path, lines, "module_engagement", result_db)
    assert [
        (
            row["username"],
            row["date"].isoformat(),
            row["entity_type"],
            row["entity_id"],
            row["event"],
            row["count"],
        )
        for row in rows
    ] == [
        ("u1", "2024-01-03", "problem", "p1", "attempted", 2),
        ("u1", "2024-01-03", "problem", "p1", "completed", 1),
        ("u1", "2024-01-03", "problem", "p2", "attempted", 1),
        ("u1", "2024-01-03", "video", "v1", "viewed", 2),
        ("u1", "2024-01-04", "problem", "p2", "attempted", 1),
        ("u1", "2024-01-04", "problem", "p2", "completed", 1),
        ("u1", "2024-01-04", "problem", "p3", "attempted", 1),
        ("u1", "2024-01-04", "problem", "p3", "completed", 1),
        ("u2", "2024-01-03", "discussion", "general", "contributed", 2),
        ("u2", "2024-01-03", "video", "v1", "viewed", 1),
    ]


INF = math.inf

# The original's unit-test examples (original-pipeline.md §2.3 rule 3): a metric's values over a
# course's learners → its ranges (range_type, low, high), half-open, None = unbounded. The
# floats are the original's to the last bit (numpy's interpolation).
RANGE_EXAMPLES = [
    ([5] * 6, [("low", 0, 5), ("normal", 5, None)]),
    ([1], [("low", 0, 1), ("normal", 1, None)]),
    ([INF], [("low", 0, None), ("normal", None, None)]),
    ([1, 2, 3, INF, INF], [("low", 0, 1.6), ("normal", 1.6, None), ("high", None, None)]),
    ([1, 2, 3, 4, 5, 6, 7, INF], [("low", 0, 2.05), ("normal", 2.05, 6.95), ("high", 6.95, None)]),
    ([], [("normal", 0, None)]),
    ([0], [("normal", 0, None)]),
    ([0, 0, 0], [("normal", 0, None)]),
    ([1, 0, 0, 0], [("normal", 0, 0.5499999999999998), ("high", 0.5499999999999998, None)]),
    (
        [0, 0, 0] + [1] * 10 + [2] * 4,
        [("low", 0, 0.3999999999999999), ("normal", 0.3999999999999999, 2.0), ("high", 2.0, None)],
    ),
    ([4] + [13] * 3 + [15] * 4 + [50] * 11 + [154], [("low", 0, 13), ("normal", 13, 50), ("high", 50, None)]),
    # Beyond the original's list: an infinite neighbour at interpolation weight 0 still makes
    # numpy's percentile NaN (inf x 0), so unbounded: p85 of 21 values sits exactly on rank 17.
    ([*range(18), INF, INF, INF], [("low", 0, 3), ("normal", 3, None), ("high", None, None)]),
    # Equal neighbours give exactly their value (numpy < 1.22, which the original ran, gave
    # 2.9999999999999996 for the 15th percentile here, and so three ranges).
    ([3, 3, 3], [("low", 0, 3), ("normal", 3, None)]),
]


def assert_tiles(ranges: list[tuple[str, float | None, float | None]]) -> None:
    """One metric's (range_type, low, high) rows cover [0, unbounded) in order, without gaps."""
    assert [kind for kind, _low, _high in ranges] in (
        ["low", "normal", "high"],
        ["low", "normal"],
        ["normal", "high"],
        ["normal"],
    )
    assert ranges[0][1] == 0 and ranges[-1][2] is None
    assert all(before[2] == after[1] for before, after in itertools.pairwise(ranges))
    assert all(low <= high for _kind, low, high in ranges if low is not None and high is not None)


def metric_ranges(values: dict[tuple[str, str], list[float | None]], date_to: date) -> list[tuple]:
    """The ranges SQL of the metric over per-learner `values` per (course, metric); None: the
    learner does not count for the metric."""
    connection = duckdb.connect()
    connection.execute("CREATE TABLE learner_values (course_id VARCHAR, metric VARCHAR, value DOUBLE)")
    connection.executemany(
        "INSERT INTO learner_values VALUES (?, ?, ?)",
        [(course, metric, value) for (course, metric), learners in values.items() for value in learners],
    )
    sql = "WITH learner_metrics AS (SELECT * FROM learner_values)" + RANGES
    return connection.execute(sql, {"date_to": date_to}).fetchall()


@pytest.mark.parametrize(("values", "expected"), RANGE_EXAMPLES, ids=lambda case: repr(case)[:40])
def test_ranges_follow_the_original(values: list[float], expected: list[tuple]) -> None:
    # No value at all: the learners exist but none counts for the metric (value NULL).
    rows = metric_ranges({(COURSE, "m"): values or [None, None]}, date(2024, 1, 14))
    assert [row[4:] for row in rows] == expected
    assert {row[:4] for row in rows} == {(COURSE, date(2024, 1, 8), date(2024, 1, 15), "m")}


def numpy_ranges(values: list[float]) -> list[tuple]:
    """The original's rule over numpy's own percentiles: the oracle for arbitrary values."""
    if not values:
        return [("normal", 0, None)]
    with numpy.errstate(invalid="ignore"):  # inf - inf: NaN, which the rule reads as +inf
        low, high = (INF if math.isnan(p) else float(p) for p in numpy.percentile(values, [15, 85]))
    ranges = [("low", 0, low)] if low > 0 else []
    ranges += [("normal", low, INF)] if low == high else [("normal", low, high), ("high", high, INF)]
    return [(kind, *(None if math.isinf(bound) else bound for bound in bounds)) for kind, *bounds in ranges]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, 5.0, 0.5, 2.5, 13.0, INF]), max_size=30))
def test_ranges_agree_with_numpy(values: list[float]) -> None:
    rows = metric_ranges({(COURSE, "m"): values or [None]}, date(2024, 1, 14))
    assert [row[4:] for row in rows] == numpy_ranges(values)  # to the last bit


def test_ranges_are_per_course_and_metric() -> None:
    rows = metric_ranges(
        {("a", "x"): [1, 2, 3, INF, INF], ("a", "y"): [0, 0, 0], ("b", "x"): [5] * 6}, date(2024, 1, 14)
    )
    assert [(row[0], row[3], *row[4:]) for row in rows] == [
        ("a", "x", "low", 0, 1.6),
        ("a", "x", "normal", 1.6, None),
        ("a", "x", "high", None, None),
        ("a", "y", "normal", 0, None),
        ("b", "x", "low", 0, 5),
        ("b", "x", "normal", 5, None),
    ]


def test_ranges_from_events_on_every_backend(tmp_path: Path, result_db: str) -> None:
    # Five learners attempt problem p 1, 2, 3, 4 and 10 times in the last 7 days (to Jan 14);
    # the first three get it right on their last attempt, learners 4 and 5 never do. Learner 6
    # only plays a video. In another course one learner plays a video.
    lines = [attempt(2, 0, 1, "p", True)]  # Jan 2: before the 7 days, not counted
    for user, attempts in enumerate((1, 2, 3, 4, 10), start=1):
        for number in range(attempts):
            lines.append(attempt(10, number, user, "p", user <= 3 and number == attempts - 1))
    lines.append(event(11, 0, 6, "play_video", source="browser", id="v1"))
    lines.append(
        event_line(
            time="2024-01-12T10:00:00Z",
            username="u7",
            event_type="play_video",
            event_source="browser",
            context={"course_id": OTHER, "user_id": 7, "path": "/x"},
            event={"id": "v1"},
        )
    )
    rows = published(tmp_path, lines, "module_engagement_metric_ranges", result_db, date(2024, 1, 14))
    assert {(row["start_date"], row["end_date"]) for row in rows} == {(date(2024, 1, 8), date(2024, 1, 15))}
    ranges = {
        (row["course_id"], row["metric"], row["range_type"]): (row["low_value"], row["high_value"])
        for row in rows
    }
    approx = pytest.approx
    assert ranges == {
        # Attempts [0, 1, 2, 3, 4, 10]: 15th percentile 0.75, 85th 4 x 0.75 + 10 x 0.25 = 5.5.
        (COURSE, "problem_attempts", "low"): (0, approx(0.75)),
        (COURSE, "problem_attempts", "normal"): (approx(0.75), approx(5.5)),
        (COURSE, "problem_attempts", "high"): (approx(5.5), None),
        # [0, 1, 1, 1, 1, 1]: 15th percentile 0.75, 85th 1.
        (COURSE, "problems_attempted", "low"): (0, approx(0.75)),
        (COURSE, "problems_attempted", "normal"): (approx(0.75), 1),
        (COURSE, "problems_attempted", "high"): (1, None),
        # [0, 0, 0, 1, 1, 1]: 0 and 1.
        (COURSE, "problems_completed", "normal"): (0, 1),
        (COURSE, "problems_completed", "high"): (1, None),
        # Learner 6 attempted nothing: no ratio; learners 4 and 5 completed nothing: infinite.
        (COURSE, "problem_attempts_per_completed", "low"): (0, approx(1.6)),
        (COURSE, "problem_attempts_per_completed", "normal"): (approx(1.6), None),
        (COURSE, "problem_attempts_per_completed", "high"): (None, None),
        # [0, 0, 0, 0, 0, 1]: 0 and 0.25.
        (COURSE, "videos_viewed", "normal"): (0, approx(0.25)),
        (COURSE, "videos_viewed", "high"): (approx(0.25), None),
        (COURSE, "discussion_contributions", "normal"): (0, None),
        # Nobody attempted a problem: no ratio at all.
        (OTHER, "problem_attempts", "normal"): (0, None),
        (OTHER, "problems_attempted", "normal"): (0, None),
        (OTHER, "problems_completed", "normal"): (0, None),
        (OTHER, "problem_attempts_per_completed", "normal"): (0, None),
        (OTHER, "videos_viewed", "low"): (0, 1),
        (OTHER, "videos_viewed", "normal"): (1, None),
        (OTHER, "discussion_contributions", "normal"): (0, None),
    }
