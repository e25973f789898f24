"""The Data API, compatible with the Open edX Analytics Data API's `/api/v0/`.

Conventions kept from the original: `start_date` inclusive and `end_date` exclusive; with
neither, only the latest day (or week); datetimes as `2014-12-15T000000`; mode keys present
with 0. Changed: malformed keys and dates are a 400 with a JSON body; "no rows" is an empty
list (the original's 404) except where a 404 is the answer the original's clients need (a
course or module nobody may read, or that has no results at all); every response carries
`Data-Last-Updated`. See docs/api.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import QuerySet, Sum
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from edinsights.api.access import only_readable
from edinsights.api.base import DATES, CourseView, ResultView, dated, record
from edinsights.api.parameters import (
    DATE_FORMAT,
    course_key,
    format_datetime,
    name_list,
    optional_date,
)
from edinsights.families.activity.models import CourseActivity
from edinsights.families.enrollment.models import (
    CourseEnrollmentDaily,
    CourseEnrollmentModeDaily,
    CourseMetaSummaryEnrollment,
)

ENROLLMENT_MODES = ("audit", "credit", "honor", "professional", "verified", "masters")
"""Mode keys every enrollment/mode row carries (0 when nobody is in the mode)."""

ACTIVITY_LABELS = {
    "any": "ACTIVE",
    "attempted_problem": "ATTEMPTED_PROBLEM",
    "played_video": "PLAYED_VIDEO",
    "posted_forum": "POSTED_FORUM",
}

ACTIVITY_TYPE = OpenApiParameter("activity_type", str, enum=list(ACTIVITY_LABELS))
ACTIVITY_LABEL = OpenApiParameter(
    "label", str, enum=list(ACTIVITY_LABELS), description="Legacy alias of activity_type."
)
IGNORED_ACTIVITY_TYPE = OpenApiParameter(
    "activity_type",
    str,
    description="Accepted and ignored, as by the original: every week carries all four activity types.",
)
NAMES = serializers.ListField(child=serializers.CharField(), required=False)
COURSE_SELECTION = inline_serializer(
    "CourseSelection",
    {
        "course_ids": NAMES,
        "fields": NAMES,
        "exclude": NAMES,
        "recent_date": serializers.DateField(required=False),
    },
)
SELECTION_PARAMETERS = [
    OpenApiParameter("course_ids", str, many=True, explode=False, description="Course ids, comma-separated."),
    OpenApiParameter(
        "fields", str, many=True, explode=False, description="Only these fields, in this order."
    ),
    OpenApiParameter("exclude", str, many=True, explode=False, description="All fields but these."),
    OpenApiParameter(
        "recent_date", OpenApiTypes.DATE, description="Accepted; summaries are as of the last day."
    ),
]


@extend_schema(parameters=DATES)
class EnrollmentView(CourseView):
    metrics = ("enrollment_daily",)

    def rows(self, request: Request, course: str) -> list[dict[str, Any]]:
        queryset = dated(CourseEnrollmentDaily.objects.filter(course_id=course), request, "date")
        fields = ("course_id", "date", "count", "cumulative_count", "created")
        return [record(row, fields) for row in queryset.order_by("date")]


@extend_schema(parameters=DATES)
class EnrollmentModeView(CourseView):
    metrics = ("enrollment_mode_daily",)

    def rows(self, request: Request, course: str) -> list[dict[str, Any]]:
        queryset = dated(CourseEnrollmentModeDaily.objects.filter(course_id=course), request, "date")
        days: dict[date, dict[str, Any]] = {}
        for row in queryset.order_by("date", "mode"):
            day = days.setdefault(
                row.date,
                {
                    "course_id": course,
                    "date": row.date.strftime(DATE_FORMAT),
                    "count": 0,
                    "cumulative_count": 0,
                    "created": format_datetime(row.created),
                    **dict.fromkeys(ENROLLMENT_MODES, 0),
                },
            )
            # The original folds no-id-professional into professional.
            mode = "professional" if row.mode == "no-id-professional" else row.mode
            day[mode] = day.get(mode, 0) + row.count
            day["count"] += row.count
            day["cumulative_count"] += row.cumulative_count
        return list(days.values())


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


def _parameters(request: Request) -> Mapping[str, Any]:
    """The query string, or on POST the body: form fields or a JSON object (a JSON list is a 400)."""
    if request.method != "POST":
        return request.query_params
    if not isinstance(request.data, Mapping):
        raise ParseError("expected form fields or a JSON object")
    return request.data


def _requested(request: Request, name: str) -> list[str] | None:
    return name_list(_parameters(request), name)


def _course_list(request: Request) -> list[str] | None:
    raw = _requested(request, "course_ids")
    return [course_key(course) for course in raw] if raw else None


def _summaries(request: Request) -> QuerySet:
    queryset = only_readable(request.user, CourseMetaSummaryEnrollment.objects.all())
    courses = _course_list(request)
    return queryset.filter(course_id__in=courses) if courses else queryset


@extend_schema(parameters=SELECTION_PARAMETERS, request=COURSE_SELECTION)
class CourseSummariesView(ResultView):
    """Per course: enrollment counts in total and per mode, and the catalog fields."""

    metrics = ("course_summary",)
    FIELDS = (
        "course_id",
        "catalog_course_title",
        "catalog_course",
        "start_time",
        "end_time",
        "pacing_type",
        "availability",
        "count",
        "cumulative_count",
        "count_change_7_days",
        "verified_enrollment",
        "passing_users",
        "enrollment_modes",
        "created",
    )

    def get(self, request: Request) -> Response:
        return self.respond(self.summaries(request))

    def post(self, request: Request) -> Response:
        return self.respond(self.summaries(request))

    def summaries(self, request: Request) -> list[dict[str, Any]]:
        # Accepted for the original's clients; the summary is always as of the last computed day.
        optional_date(_parameters(request), "recent_date")
        fields = _requested(request, "fields")
        exclude = set(_requested(request, "exclude") or ())
        unknown = sorted((set(fields or ()) | exclude) - set(self.FIELDS))
        if unknown:
            raise ValidationError({"fields": f"unknown field(s): {', '.join(unknown)}"})
        courses: dict[str, dict[str, Any]] = {}
        for row in _summaries(request).order_by("course_id", "enrollment_mode"):
            course = courses.setdefault(row.course_id, _summary_start(row))
            mode = "professional" if row.enrollment_mode == "no-id-professional" else row.enrollment_mode
            counts = course["enrollment_modes"].setdefault(
                mode, {"count": 0, "cumulative_count": 0, "count_change_7_days": 0}
            )
            for key, value in (
                ("count", row.count),
                ("cumulative_count", row.cumulative_count),
                ("count_change_7_days", row.count_change_7_days),
            ):
                counts[key] += value
                course[key] += value
            if mode == "verified":
                course["verified_enrollment"] += row.count
            if row.passing_users is not None:
                course["passing_users"] = (course["passing_users"] or 0) + row.passing_users
        chosen = [name for name in (fields or self.FIELDS) if name not in exclude]
        return [{name: summary[name] for name in chosen} for summary in courses.values()]


def _summary_start(row: CourseMetaSummaryEnrollment) -> dict[str, Any]:
    return {
        "course_id": row.course_id,
        "catalog_course_title": row.catalog_course_title,
        "catalog_course": row.catalog_course,
        "start_time": format_datetime(row.start_time),
        "end_time": format_datetime(row.end_time),
        "pacing_type": row.pacing_type,
        "availability": row.availability,
        "count": 0,
        "cumulative_count": 0,
        "count_change_7_days": 0,
        "verified_enrollment": 0,
        "passing_users": None,
        "enrollment_modes": {
            mode: {"count": 0, "cumulative_count": 0, "count_change_7_days": 0} for mode in ENROLLMENT_MODES
        },
        "created": format_datetime(row.created),
    }


@extend_schema(parameters=SELECTION_PARAMETERS[:1], request=COURSE_SELECTION)
class CourseTotalsView(ResultView):
    """Enrollment totals over the requested (or all readable) courses."""

    metrics = ("course_summary",)

    def get(self, request: Request) -> Response:
        return self.respond(self.totals(request))

    def post(self, request: Request) -> Response:
        return self.respond(self.totals(request))

    def totals(self, request: Request) -> dict[str, int]:
        queryset = _summaries(request)
        sums = queryset.aggregate(
            count=Sum("count"),
            cumulative_count=Sum("cumulative_count"),
            count_change_7_days=Sum("count_change_7_days"),
        )
        verified = queryset.filter(enrollment_mode="verified").aggregate(count=Sum("count"))["count"]
        return {key: value or 0 for key, value in {**sums, "verified_enrollment": verified}.items()}
