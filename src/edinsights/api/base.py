"""Building blocks for Data API endpoints over result tables: the public contract for modules.

A module's API views subclass `ResultView` (any endpoint over result tables) or `CourseView` (one
course's rows: the key is checked, 400, and must be readable, 404) and render rows with `record`
(the original API's date and datetime formats). `dated` and `DATES` give the original's
`start_date`/`end_date` rule. See docs/modules.md, "Building blocks".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from django.db.models import DateTimeField, Max, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from edinsights.api.access import can_read
from edinsights.api.parameters import DATE_FORMAT, course_key, date_range, format_datetime
from edinsights.api.parsers import PARSERS
from edinsights.results.freshness import last_published

__all__ = ["DATES", "CourseView", "ResultSerializer", "ResultView", "dated", "in_range", "record"]

DATES = [
    OpenApiParameter("start_date", OpenApiTypes.DATE, description="First day (inclusive); YYYY-MM-DD."),
    OpenApiParameter("end_date", OpenApiTypes.DATE, description="Day after the last (exclusive)."),
]


def record(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """`fields` of a result row, in order, with dates and datetimes in the original's formats."""
    record = {}
    for name in fields:
        value = getattr(row, name)
        if isinstance(value, datetime):
            value = format_datetime(value)
        elif isinstance(value, date):
            value = value.strftime(DATE_FORMAT)
        record[name] = value
    return record


class ResultSerializer(serializers.ModelSerializer):
    """A result model's rows as the Data API gives them: the fields in `Meta.fields` order (or the
    model's, less `Meta.exclude`), dates and datetimes in the original's formats.

    The model is the schema: the fields, their types in the OpenAPI document and their order all
    come from it. Only model fields: a computed value belongs in the view. Rows are rendered by
    `record`, not field by field (a whole table of rows stays cheap).
    """

    @classmethod
    def render(cls, rows: Iterable[Any]) -> list[dict[str, Any]]:
        """Every row of `rows` (a queryset or any iterable of model instances), in order."""
        serializer = cls()
        return [serializer.to_representation(row) for row in rows]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        names = self.__dict__.get("_names")
        if names is None:
            names = self.__dict__["_names"] = tuple(field.source for field in self._readable_fields)
        return record(instance, names)


class ResultView(APIView):
    """A view over result tables: `metrics` say which publications date its data."""

    metrics: tuple[str, ...] = ()
    parser_classes = PARSERS

    def respond(self, data: Any) -> Response:
        response = Response(data)
        finished = last_published(self.metrics)
        if finished:
            response["Data-Last-Updated"] = format_datetime(finished)
        return response


class CourseView(ResultView):
    """A per-course endpoint: the course key is checked (400) and must be readable (404)."""

    def get(self, request: Request, course_id: str) -> Response:
        course = course_key(course_id)
        if not can_read(request.user, course):
            raise NotFound(f"no results for course {course}")
        return self.respond(self.rows(request, course))

    def rows(self, request: Request, course: str) -> Any:
        raise NotImplementedError


def in_range(queryset: QuerySet, field: str, start: date | None, end: date | None) -> QuerySet:
    """Rows whose `field` (a date, or a datetime read at UTC midnights) lies in [start, end);
    either bound may be None (no bound)."""
    if isinstance(queryset.model._meta.get_field(field), DateTimeField):
        # Days as UTC midnights: a bare date would be a naive datetime (and a warning) here.
        start, end = (datetime.combine(day, time.min, UTC) if day else None for day in (start, end))
    if start:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{field}__lt": end})
    return queryset


def dated(queryset: QuerySet, request: Request, field: str) -> QuerySet:
    """Rows in [start_date, end_date); with neither, the rows of the latest `field` value only."""
    start, end = date_range(request.query_params)
    queryset = in_range(queryset, field, start, end)
    if not start and not end:
        latest = queryset.aggregate(latest=Max(field))["latest"]
        queryset = queryset.filter(**{field: latest}) if latest is not None else queryset.none()
    return queryset
