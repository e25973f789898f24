"""The forum module's Data API endpoints: `courses/{course_id}/forum/` and `.../forum/topics/`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from edinsights.api.base import DATES, CourseView, ResultSerializer
from edinsights.api.parameters import date_range
from rest_framework.request import Request

from edinsights_forum import data
from edinsights_forum.models import ForumActivityWeekly


class ForumWeekSerializer(ResultSerializer):
    """A week's row: every field of the model but its id (the model is the schema)."""

    class Meta:
        model = ForumActivityWeekly
        exclude = ("id",)


@extend_schema(
    parameters=DATES, summary="Discussion activity per week", responses=ForumWeekSerializer(many=True)
)
class ForumActivityView(CourseView):
    """One object per week (Monday 00:00 UTC): threads, responses, comments, votes, distinct
    posters and unanswered threads; every week, or those starting in [start_date, end_date)."""

    metrics = ("forum_activity_weekly",)

    def rows(self, request: Request, course: str) -> list[dict[str, Any]]:
        start, end = date_range(request.query_params)
        return ForumWeekSerializer.render(data.weekly_rows(course, start, end))


@extend_schema(parameters=DATES, summary="Discussion topics, the busiest first")
class ForumTopicsView(CourseView):
    """One object per topic (`commentable_id`; `topic_name` once the course structure is known):
    posts and votes over every week, or those starting in [start_date, end_date), most posts first."""

    metrics = ("forum_topic_weekly",)

    def rows(self, request: Request, course: str) -> list[dict[str, Any]]:
        start, end = date_range(request.query_params)
        return data.topic_totals(course, start, end)
