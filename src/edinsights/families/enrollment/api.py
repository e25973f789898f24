"""The enrollment module's Data API endpoints: a course's `enrollment/` and `enrollment/mode/`,
and the cross-course `course_summaries/` and `course_totals/` (docs/api.md)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import QuerySet, Sum
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from edinsights.api.access import only_readable
from edinsights.api.base import DATES, CourseView, ResultSerializer, ResultView, dated
from edinsights.api.parameters import DATE_FORMAT, course_key, format_datetime, name_list, optional_date
from edinsights.families.enrollment.courses import catalog_filter
from edinsights.families.enrollment.models import (
    CourseEnrollmentDaily,
    CourseEnrollmentModeDaily,
    CourseMetaSummaryEnrollment,
)
from edinsights.families.enrollment.vocabulary import (
    AVAILABILITIES,
    ENROLLMENT_MODES,
    PACING_TYPES,
    UNKNOWN,
    VERIFIED,
    folded_availability,
    folded_mode,
)

NAMES = serializers.ListField(child=serializers.CharField(), required=False)
COURSE_SELECTION = inline_serializer(
    "CourseSelection",
    {
        "course_ids": NAMES,
        "fields": NAMES,
        "exclude": NAMES,
        "recent_date": serializers.DateField(required=False),
        "availability": NAMES,
        "pacing_type": NAMES,
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
CATALOG_PARAMETERS = [
    OpenApiParameter(
        "availability",
        str,
        many=True,
        explode=False,
        description="Only courses with one of these availabilities: " + ", ".join((*AVAILABILITIES, UNKNOWN)),
    ),
    OpenApiParameter(
        "pacing_type",
        str,
        many=True,
        explode=False,
        description="Only courses with one of these pacing types: " + ", ".join(PACING_TYPES),
    ),
]


class EnrollmentSerializer(ResultSerializer):
    class Meta:
        model = CourseEnrollmentDaily
        exclude = ("id",)


@extend_schema(parameters=DATES, responses=EnrollmentSerializer(many=True))
class EnrollmentView(CourseView):
    metrics = ("enrollment_daily",)

    def rows(self, request: Request, course: str) -> list[dict[str, Any]]:
        queryset = dated(CourseEnrollmentDaily.objects.filter(course_id=course), request, "date")
        return EnrollmentSerializer.render(queryset.order_by("date"))


@extend_schema(parameters=DATES)
class EnrollmentModeView(CourseView):
    """One row per day: the total and a count per mode (every mode of ENROLLMENT_MODES, 0 when
    nobody is in it; folded as the original folds them)."""

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
            mode = folded_mode(row.mode)
            day[mode] = day.get(mode, 0) + row.count
            day["count"] += row.count
            day["cumulative_count"] += row.cumulative_count
        return list(days.values())


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


def _choices(request: Request, name: str, allowed: tuple[str, ...]) -> list[str]:
    values = _requested(request, name) or []
    wrong = sorted(set(values) - set(allowed))
    if wrong:
        raise ValidationError({name: f"unknown value(s) {', '.join(wrong)}; one of {', '.join(allowed)}"})
    return values


@extend_schema(parameters=SELECTION_PARAMETERS + CATALOG_PARAMETERS, request=COURSE_SELECTION)
class CourseSummariesView(ResultView):
    """Per course: enrollment counts in total and per mode, and the catalog fields (from the
    imported structure; null for a course without one)."""

    metrics = ("course_summary",)
    FIELDS = (
        "course_id",
        "catalog_course_title",
        "catalog_course",
        "start_date",
        "end_date",
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
        catalog = catalog_filter(
            _choices(request, "availability", (*AVAILABILITIES, UNKNOWN)),
            _choices(request, "pacing_type", PACING_TYPES),
        )
        courses: dict[str, dict[str, Any]] = {}
        for row in _summaries(request).filter(catalog).order_by("course_id", "enrollment_mode"):
            course = courses.setdefault(row.course_id, _summary_start(row))
            mode = folded_mode(row.enrollment_mode)
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
            if mode == VERIFIED:
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
        "start_date": format_datetime(row.start_time),
        "end_date": format_datetime(row.end_time),
        "pacing_type": row.pacing_type,
        "availability": folded_availability(row.availability),
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
        verified = queryset.filter(enrollment_mode=VERIFIED).aggregate(count=Sum("count"))["count"]
        return {key: value or 0 for key, value in {**sums, "verified_enrollment": verified}.items()}
