"""One course's forum results as rows, shared by the Data API and the pages (so they agree)."""

from __future__ import annotations

from datetime import date
from typing import Any

from edinsights.api.base import in_range

from edinsights_forum.models import ForumActivityWeekly, ForumTopicWeekly
from edinsights_forum.topics import topic_name


def weekly_rows(course: str, start: date | None = None, end: date | None = None) -> list[ForumActivityWeekly]:
    """The course's weeks, oldest first; with `start`/`end`, the weeks starting in [start, end)."""
    queryset = in_range(ForumActivityWeekly.objects.filter(course_id=course), "interval_start", start, end)
    return list(queryset.order_by("interval_start"))


def topic_totals(course: str, start: date | None = None, end: date | None = None) -> list[dict[str, Any]]:
    """Per topic, its posts and votes summed over the weeks starting in [start, end) (all weeks
    without them), the busiest first (most posts, then most votes, then by id)."""
    queryset = in_range(ForumTopicWeekly.objects.filter(course_id=course), "interval_start", start, end)
    topics: dict[str, dict[str, Any]] = {}
    for row in queryset.values_list("commentable_id", "threads", "responses", "comments", "votes"):
        topic, threads, responses, comments, votes = row
        entry = topics.setdefault(
            topic,
            {
                "commentable_id": topic,
                "topic_name": topic_name(course, topic),
                "posts": 0,
                "threads": 0,
                "responses": 0,
                "comments": 0,
                "votes": 0,
            },
        )
        entry["threads"] += threads
        entry["responses"] += responses
        entry["comments"] += comments
        entry["votes"] += votes
        entry["posts"] += threads + responses + comments
    return sorted(
        topics.values(), key=lambda entry: (-entry["posts"], -entry["votes"], entry["commentable_id"])
    )
