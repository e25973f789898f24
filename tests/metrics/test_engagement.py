"""Learner engagement per day and entity, and the course's engagement ranges, on every backend."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import event_line, published

COURSE = "course-v1:edX+DemoX+2024"


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
        ("u2", "2024-01-03", "discussion", "general", "contributed", 2),
        ("u2", "2024-01-03", "video", "v1", "viewed", 1),
    ]


def test_ranges_split_at_the_15th_and_85th_percentiles(tmp_path: Path, result_db: str) -> None:
    # Five learners attempt problem p 1, 2, 3, 4 and 10 times in the last 7 days (to Jan 14);
    # the first three get it right on their last attempt, learners 4 and 5 never do.
    lines = [attempt(2, 0, 1, "p", True)]  # Jan 2: before the 7 days, not counted
    for user, attempts in enumerate((1, 2, 3, 4, 10), start=1):
        for number in range(attempts):
            lines.append(attempt(10, number, user, "p", user <= 3 and number == attempts - 1))
    rows = published(tmp_path, lines, "module_engagement_metric_ranges", result_db, date(2024, 1, 14))
    ranges = {(row["metric"], row["range_type"]): (row["low_value"], row["high_value"]) for row in rows}
    assert {(row["start_date"], row["end_date"]) for row in rows} == {(date(2024, 1, 8), date(2024, 1, 15))}
    approx = pytest.approx
    # [1, 2, 3, 4, 10]: 15th percentile 1 + 0.6 x 1 = 1.6, 85th 4 + 0.4 x 6 = 6.4.
    assert ranges[("problem_attempts", "low")] == approx((1, 1.6))
    assert ranges[("problem_attempts", "normal")] == approx((1.6, 6.4))
    assert ranges[("problem_attempts", "high")] == approx((6.4, 10))
    # Attempts per completed problem: only learners 1-3 completed one: [1, 2, 3] → 1.3 and 2.7.
    assert ranges[("problem_attempts_per_completed", "normal")] == approx((1.3, 2.7))
    # Completed: [0, 0, 1, 1, 1] → 0 and 1.
    assert ranges[("problems_completed", "normal")] == approx((0, 1))
    assert ranges[("videos_viewed", "high")] == approx((0, 0))
    assert len(rows) == 6 * 3
