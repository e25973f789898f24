"""The activity module's Data API endpoints: a course's weekly `activity/` and `recent_activity/`
(docs/api.md)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request

from edinsights.api.base import DATES, CourseView, dated
from edinsights.api.parameters import format_datetime
from edinsights.families.activity.models import CourseActivity
from edinsights.families.activity.vocabulary import ACTIVITY_LABELS

ACTIVITY_TYPE = OpenApiParameter("activity_type", str, enum=list(ACTIVITY_LABELS))
ACTIVITY_LABEL = OpenApiParameter(
    "label", str, enum=list(ACTIVITY_LABELS), description="Legacy alias of activity_type."
)
IGNORED_ACTIVITY_TYPE = OpenApiParameter(
    "activity_type",
    str,
    description="Accepted and ignored, as by the original: every week carries all four activity types.",
)


def _activity_type(request: Request) -> str:
    """`activity_type`, else its legacy alias `label`, else `any` (as the original)."""
    for parameter in ("activity_type", "label"):
        value = request.query_params.get(parameter)
        if value:
            if value.lower() not in ACTIVITY_LABELS:
                raise ValidationError({parameter: f"one of {', '.join(ACTIVITY_LABELS)}"})
            return value.lower()
    return "any"


@extend_schema(parameters=[*DATES, IGNORED_ACTIVITY_TYPE])
class ActivityView(CourseView):
    """Weekly activity: one row per week with a count per activity type.

    `activity_type` is ignored, as by the original: its client always sends one (`any` by
    default) and Insights reads all four types from that one call.
    """

    metrics = ("course_activity",)

    def rows(self, request: Request, course: str) -> list[dict[str, Any]]:
        queryset = dated(CourseActivity.objects.filter(course_id=course), request, "interval_start")
        names = {label: name for name, label in ACTIVITY_LABELS.items()}
        weeks: dict[Any, dict[str, Any]] = {}
        for row in queryset.order_by("interval_start", "label"):
            week = weeks.setdefault(
                row.interval_start,
                {
                    "course_id": course,
                    "interval_start": format_datetime(row.interval_start),
                    "interval_end": format_datetime(row.interval_end),
                    # A type nobody did that week has no row: null, as from the original.
                    **dict.fromkeys(ACTIVITY_LABELS),
                    "created": format_datetime(row.created),
                },
            )
            week[names.get(row.label, row.label.lower())] = row.count
        return list(weeks.values())


@extend_schema(parameters=[ACTIVITY_TYPE, ACTIVITY_LABEL])
class RecentActivityView(CourseView):
    """The latest week's count of one activity type (default `any`)."""

    metrics = ("course_activity",)

    def rows(self, request: Request, course: str) -> dict[str, Any]:
        activity_type = _activity_type(request)
        row = (
            CourseActivity.objects.filter(course_id=course, label=ACTIVITY_LABELS[activity_type])
            .order_by("-interval_start")
            .first()
        )
        if row is None:
            raise NotFound(f"no {activity_type} activity for course {course}")
        return {
            "course_id": course,
            "interval_start": format_datetime(row.interval_start),
            "interval_end": format_datetime(row.interval_end),
            "activity_type": activity_type,
            "count": row.count,
            "created": format_datetime(row.created),
        }
