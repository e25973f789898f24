"""The forum metrics over hand-made events, on every result-store backend."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from edinsights.testing import event_line, published
from forum_lines import COURSE, HOUR, comment, response, thread, vote

MONDAY = datetime(2024, 3, 4, 10, 0, tzinfo=UTC)  # a Monday
OTHER = "course-v1:edX+Other+2024"


def lines() -> list[str]:
    week2 = MONDAY + 7 * 24 * HOUR
    return [
        # Week 1: t1 answered after 3 h (and commented on); t2, on Sunday night, answered only
        # 49 h later (next week): unanswered; t3 never answered: unanswered.
        thread(MONDAY, "t1", "topic-a", user=1),
        response(MONDAY + 3 * HOUR, "r1", "t1", "topic-a", user=2),
        comment(MONDAY + 4 * HOUR, "c1", "r1", "t1", "topic-a", user=1),
        thread(MONDAY + 6 * 24 * HOUR + 13 * HOUR, "t2", "topic-b", user=3),
        response(MONDAY + 8 * 24 * HOUR + 14 * HOUR, "r2", "t2", "topic-b", user=2),
        thread(MONDAY + 24 * HOUR, "t3", "topic-a", user=4),
        # Exactly 48 h after its thread: still an answer.
        thread(MONDAY + 2 * 24 * HOUR, "t4", "topic-b", user=1),
        response(MONDAY + 4 * 24 * HOUR, "r4", "t4", "topic-b", user=3),
        vote(MONDAY + HOUR, "thread", "t1", "topic-a", user=5),
        vote(MONDAY + 2 * HOUR, "response", "r1", "topic-a", user=6),
        vote(MONDAY + 3 * HOUR, "response", "r1", "topic-a", undo=True, user=6),  # not a vote
        # Not counted: anonymous, from the browser, without a course, another course's.
        thread(MONDAY + HOUR, "tx", "topic-a", user=None),
        thread(MONDAY + HOUR, "ty", "topic-a", source="browser"),
        event_line(
            event_type="edx.forum.thread.created", time=MONDAY.isoformat(), event={"id": "tz"}, context={}
        ),
        thread(MONDAY + 2 * HOUR, "o1", "topic-a", course=OTHER, user=9),
        # Week 2: a thread 20 h before the end of the data: its 48 h have not passed.
        thread(week2 + 2 * 24 * HOUR, "t5", "topic-c", user=7),
        vote(week2 + 2 * 24 * HOUR + 10 * HOUR, "thread", "t5", "topic-c", user=8),
    ]


WEEK1 = {
    "course_id": COURSE,
    "interval_start": MONDAY.replace(hour=0),
    "interval_end": MONDAY.replace(hour=0, day=11),
    "threads": 4,
    "responses": 2,
    "comments": 1,
    "votes": 2,
    "posters": 4,
    "unanswered_threads": 2,
}


def test_weekly_activity(tmp_path: Path, result_db: str) -> None:
    rows = published(tmp_path, lines(), "forum_activity_weekly", result_db)
    ours = sorted((row for row in rows if row["course_id"] == COURSE), key=lambda row: row["interval_start"])
    assert ours[0] == WEEK1
    assert ours[1] == {
        "course_id": COURSE,
        "interval_start": datetime(2024, 3, 11, tzinfo=UTC),
        "interval_end": datetime(2024, 3, 18, tzinfo=UTC),
        "threads": 1,
        "responses": 1,  # r2, answering last week's t2
        "comments": 0,
        "votes": 1,
        "posters": 2,
        "unanswered_threads": 0,  # t5 may still be answered
    }
    assert len(ours) == 2
    assert [row["threads"] for row in rows if row["course_id"] == OTHER] == [1]


def test_topics(tmp_path: Path, result_db: str) -> None:
    rows = published(tmp_path, lines(), "forum_topic_weekly", result_db)
    ours = {
        (row["interval_start"].day, row["commentable_id"]): (
            row["threads"],
            row["responses"],
            row["comments"],
            row["votes"],
            row["posters"],
        )
        for row in rows
        if row["course_id"] == COURSE
    }
    assert ours == {
        (4, "topic-a"): (2, 1, 1, 2, 3),
        (4, "topic-b"): (2, 1, 0, 0, 2),
        (11, "topic-b"): (0, 1, 0, 0, 1),
        (11, "topic-c"): (1, 0, 0, 1, 1),
    }


def test_a_store_ingested_before_the_module_is_back_filled(tmp_path: Path, result_db: str) -> None:
    """The side table is the module's: deleted (as in a store ingested before the module was
    installed), it is rebuilt from the stored events when the metrics next run."""
    first = published(tmp_path, lines(), "forum_activity_weekly", result_db)
    side = tmp_path / "home" / "store" / "side" / "forum_events"
    assert any(side.glob("*/*.parquet"))
    shutil.rmtree(side)
    (tmp_path / "t.log").unlink()  # the logs are gone too: rotated away
    again = published(tmp_path, [], "forum_activity_weekly", result_db)
    assert again == first and any(side.glob("*/*.parquet"))
