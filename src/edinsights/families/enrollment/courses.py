"""The Courses page's list: one row per readable course, searched, filtered and sorted in SQL.

The enrollment module owns the Courses page (its rows are the course summaries); the latest
week's active learners come from the activity module's table.

All of it is one grouped query over `course_meta_summary_enrollment` (one row per course and
mode) with the latest week's active learners as a correlated subquery, so a page of 25 out of
thousands of courses costs one aggregate (the count and the tiles) and a slice, never a Python
loop over every course. The CSV download runs the same query without the slice: it holds
exactly the filtered courses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from edinsights.api.access import only_readable
from edinsights.families.activity.models import CourseActivity
from edinsights.families.activity.vocabulary import ACTIVE
from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment
from edinsights.families.enrollment.vocabulary import (
    AVAILABILITIES,
    AVAILABILITY_LABELS,
    MODE_LABELS,
    PACING_LABELS,
    PACING_TYPES,
    UNKNOWN,
    VERIFIED,
    folded_mode,
    stored_availabilities,
    unfolded_modes,
)

SORTS = {
    "title": "title_sort",
    "course_id": "course_id",
    "enrollment": "enrollment",
    "change": "change",
    "verified": "verified",
    "active": "active",
    "start_time": "start_time",
    "end_time": "end_time",
    "pacing_type": "pacing_type",
    "availability": "availability",
}
PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25


class BadFilter(ValueError):
    """A query-string parameter the page cannot use (answered with a 400 and the message)."""


def catalog_filter(availability: Sequence[str], pacing: Sequence[str]) -> Q:
    """Summary rows whose availability is one of `availability` (`unknown`: none) and whose pacing
    is one of `pacing`: OR within each list, AND between them; an empty list does not filter."""
    condition = Q()
    if availability:
        known = [
            stored for value in availability if value != UNKNOWN for stored in stored_availabilities(value)
        ]
        either = Q(availability__in=known)
        if UNKNOWN in availability:
            either |= Q(availability__isnull=True)
        condition &= either
    if pacing:
        condition &= Q(pacing_type__in=list(pacing))
    return condition


def _choices(query: QueryDict, name: str, allowed: Sequence[str]) -> tuple[str, ...]:
    """The checked values of a checkbox group (repeated or comma-separated), each one of `allowed`."""
    values = [value.strip() for raw in query.getlist(name) for value in raw.split(",") if value.strip()]
    wrong = [value for value in values if value not in allowed]
    if wrong:
        raise BadFilter(
            _("%(name)s must be among %(allowed)s, not %(wrong)s")
            % {"name": name, "allowed": ", ".join(allowed), "wrong": ", ".join(wrong)}
        )
    return tuple(value for value in allowed if value in values)


@dataclass(frozen=True)
class CourseFilters:
    search: str = ""
    availability: tuple[str, ...] = ()
    pacing: tuple[str, ...] = ()
    mode: str = ""
    sort: str = "title"
    descending: bool = False
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @classmethod
    def from_query(cls, query: QueryDict) -> CourseFilters:
        sort = query.get("sort", "title")
        descending = sort.startswith("-")
        if sort.lstrip("-") not in SORTS:
            raise BadFilter(
                _("sort must be one of %(names)s, optionally with a leading -") % {"names": ", ".join(SORTS)}
            )
        try:
            page = int(query.get("page", "1"))
            page_size = int(query.get("per_page", str(DEFAULT_PAGE_SIZE)))
        except ValueError:
            raise BadFilter(_("page and per_page must be whole numbers")) from None
        if page < 1:
            raise BadFilter(_("page must be 1 or more"))
        if page_size not in PAGE_SIZES:
            raise BadFilter(
                _("per_page must be one of %(sizes)s") % {"sizes": ", ".join(map(str, PAGE_SIZES))}
            )
        mode = query.get("mode", "").strip()
        return cls(
            search=query.get("q", "").strip(),
            availability=_choices(query, "availability", (*AVAILABILITIES, UNKNOWN)),
            pacing=_choices(query, "pacing_type", PACING_TYPES),
            mode=mode,
            sort=sort.lstrip("-"),
            descending=descending,
            page=page,
            page_size=page_size,
        )

    def query(self, **changes: Any) -> str:
        """The query string of these filters with `changes` (for sort links and pagination)."""
        values: dict[str, Any] = {
            "q": self.search,
            "availability": ",".join(self.availability),
            "pacing_type": ",".join(self.pacing),
            "mode": self.mode,
            "sort": ("-" if self.descending else "") + self.sort,
            "page": self.page,
            "per_page": self.page_size,
        }
        values.update(changes)
        query = QueryDict(mutable=True)
        defaults = {"sort": "title", "page": 1, "per_page": DEFAULT_PAGE_SIZE}
        for name, value in values.items():
            if value not in ("", None) and defaults.get(name) != value:
                query[name] = str(value)
        return query.urlencode()


def summary_rows(user: Any) -> QuerySet:
    return only_readable(user, CourseMetaSummaryEnrollment.objects.all())


def matching_courses(user: Any, filters: CourseFilters) -> QuerySet:
    """One row (a dict) per readable course matching `filters`, sorted."""
    rows = summary_rows(user)
    if filters.search:
        rows = rows.filter(
            Q(course_id__icontains=filters.search) | Q(catalog_course_title__icontains=filters.search)
        )
    rows = rows.filter(catalog_filter(filters.availability, filters.pacing))
    if filters.mode:
        # Professional includes no-id-professional, as everywhere the modes are shown.
        with_mode = CourseMetaSummaryEnrollment.objects.filter(
            enrollment_mode__in=unfolded_modes(filters.mode), cumulative_count__gt=0
        )
        rows = rows.filter(course_id__in=with_mode.values("course_id"))
    latest_active = (
        CourseActivity.objects.filter(course_id=OuterRef("course_id"), label=ACTIVE.label)
        .order_by("-interval_start")
        .values("count")[:1]
    )
    courses = rows.values("course_id").annotate(
        title=Max("catalog_course_title"),
        title_sort=Coalesce(Max("catalog_course_title"), F("course_id")),
        availability=Max("availability"),
        pacing_type=Max("pacing_type"),
        start_time=Min("start_time"),
        end_time=Max("end_time"),
        enrollment=Sum("count"),
        change=Sum("count_change_7_days"),
        verified=Coalesce(Sum("count", filter=Q(enrollment_mode=VERIFIED)), Value(0)),
        cumulative=Sum("cumulative_count"),
        active=Coalesce(Subquery(latest_active, output_field=IntegerField()), Value(0)),
    )
    order = SORTS[filters.sort]
    ordering = [F(order).desc(nulls_last=True) if filters.descending else F(order).asc(nulls_last=True)]
    return courses.order_by(*ordering, "course_id")


def totals(courses: QuerySet) -> dict[str, int]:
    """The tiles (enrollment, its 7-day change, last week's active learners) and the number of
    courses, over `courses`, in one aggregate query (the list's count comes from here too)."""
    sums = courses.aggregate(
        courses=Count("course_id"),
        enrollment_total=Sum("enrollment"),
        change_total=Sum("change"),
        active_total=Sum("active"),
    )
    return {key: value or 0 for key, value in sums.items()}


def filter_choices(user: Any) -> dict[str, list[tuple[str, str]]]:
    """The filters' choices: every availability and pacing type (the original's checkbox groups,
    whether or not a course has them), and the modes present in the readable courses."""
    present = summary_rows(user).values_list("enrollment_mode", flat=True).distinct()
    modes = sorted({folded_mode(mode) for mode in present})
    return {
        "availability": [(value, str(AVAILABILITY_LABELS[value])) for value in (*AVAILABILITIES, UNKNOWN)],
        "pacing_type": [(value, str(PACING_LABELS[value])) for value in PACING_TYPES],
        "mode": [(mode, str(MODE_LABELS.get(mode, mode))) for mode in modes],
    }
