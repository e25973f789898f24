"""The forum metrics over the simulator's logs equal what the simulator says it did."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from edinsights.testing import published


def simulated_lines(logs: Path) -> list[str]:
    return [
        line
        for path in sorted(logs.glob("*.gz"))
        for line in gzip.decompress(path.read_bytes()).decode("utf-8", "replace").split("\n")
        if line
    ]


@pytest.mark.parametrize("result_db", ["sqlite"], indirect=True)
def test_weekly_activity_and_topics_equal_the_ground_truth(
    simulated_logs: tuple[Path, list[str]], tmp_path: Path, result_db: str
) -> None:
    logs, _courses = simulated_logs
    truth = json.loads((logs.parent / "ground_truth.json").read_text())
    lines = simulated_lines(logs)

    def by_week(rows: list[dict]) -> list[dict]:
        return sorted(
            rows, key=lambda row: (row["course_id"], row["interval_start"], row.get("commentable_id"))
        )

    weekly = by_week(published(tmp_path / "weekly", lines, "forum_activity_weekly", result_db))
    keys = ("threads", "responses", "comments", "votes", "posters", "unanswered_threads")
    assert [
        {"course_id": row["course_id"], "week_start": row["interval_start"].date().isoformat()}
        | {key: row[key] for key in keys}
        for row in weekly
    ] == [
        {"course_id": row["course_id"], "week_start": row["week_start"]} | {key: row[key] for key in keys}
        for row in truth["forum_weekly"]
    ]
    assert sum(row["unanswered_threads"] for row in weekly) > 0
    assert sum(row["responses"] for row in weekly) > 0

    topics = by_week(published(tmp_path / "topics", lines, "forum_topic_weekly", result_db))
    keys = ("commentable_id", "threads", "responses", "comments", "votes")
    assert [
        {"course_id": row["course_id"], "week_start": row["interval_start"].date().isoformat()}
        | {key: row[key] for key in keys}
        for row in topics
    ] == [
        {"course_id": row["course_id"], "week_start": row["week_start"]} | {key: row[key] for key in keys}
        for row in truth["forum_topics"]
    ]
