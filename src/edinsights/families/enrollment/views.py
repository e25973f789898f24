"""The enrollment module's Courses page: every readable course with its enrollment, searched,
filtered, sorted and paged (the query is `courses.py`'s), or its CSV."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edinsights.dashboard import pages
from edinsights.dashboard.presentation import DATE, TEXT, Chart, Column, Series, Table, Tile
from edinsights.dashboard.views import bad_request, wants_csv
from edinsights.families.enrollment.courses import (
    PAGE_SIZES,
    SORTS,
    BadFilter,
    CourseFilters,
    filter_choices,
    matching_courses,
    totals,
)
from edinsights.families.enrollment.vocabulary import (
    AVAILABILITY_LABELS,
    PACING_LABELS,
    UNKNOWN,
    folded_availability,
)
from edinsights.results.freshness import last_published

COUNT_COLUMNS = [
    Column("enrollment", gettext_lazy("Enrolled")),
    Column("change", gettext_lazy("Change, last 7 days")),
    Column("verified", gettext_lazy("Verified")),
    Column("active", gettext_lazy("Active last week")),
]
COURSE_COLUMNS = [
    Column(
        "title",
        gettext_lazy("Course"),
        TEXT,
        link=lambda row: pages.course_url("course", row["course_id"]),
        detail=lambda row: row["course_id"] if row["catalog_course_title"] else None,
    ),
    Column("start_time", gettext_lazy("Start date"), DATE),
    Column("end_time", gettext_lazy("End date"), DATE),
    Column("pacing_type", gettext_lazy("Pacing"), TEXT),
    Column("availability", gettext_lazy("Availability"), TEXT),
    *COUNT_COLUMNS,
]
"""The page's table: the course's name with its id beneath (the id alone without a catalog entry)."""
CSV_COLUMNS = [
    Column("course_id", gettext_lazy("Course id"), TEXT),
    Column("title", gettext_lazy("Course"), TEXT),
    Column("start_time", gettext_lazy("Start date"), DATE),
    Column("end_time", gettext_lazy("End date"), DATE),
    Column("pacing_type", gettext_lazy("Pacing"), TEXT),
    Column("availability", gettext_lazy("Availability"), TEXT),
    *COUNT_COLUMNS,
]
"""The CSV: the stored values (empty when unknown), as the original's course-list CSV has them;
each column named as the sort that orders by it."""


@login_required
def courses(request: HttpRequest) -> HttpResponse:
    try:
        filters = CourseFilters.from_query(request.GET)
    except BadFilter as error:
        return bad_request(request, str(error))
    matching = matching_courses(request.user, filters)
    if wants_csv(request):
        rows = [{**row, "availability": folded_availability(row["availability"])} for row in matching]
        response = Table(_("Courses"), CSV_COLUMNS, rows).csv_response("courses")
        # The original's name: {ISO datetime}--course-list.csv.
        stamp = timezone.now().strftime("%Y-%m-%dT%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="{stamp}--course-list.csv"'
        return response
    sums = totals(matching)
    pages = max(1, -(-sums["courses"] // filters.page_size))
    if filters.page > pages:
        return bad_request(request, _("There is no page %(page)s.") % {"page": filters.page})
    first = (filters.page - 1) * filters.page_size
    shown = [_course_row(row) for row in matching[first : first + filters.page_size]]
    table = Table(_("Courses"), COURSE_COLUMNS, shown)
    chart = Chart(
        "bar",
        _("Enrolled learners in the courses on this page"),
        "title",
        [Series(_("Enrolled"), "enrollment"), Series(_("Active last week"), "active")],
        x_title=_("Course"),
        y_title=_("Learners"),
        rows=shown,
    )
    headers = [_sort_header(column, filters) for column in COURSE_COLUMNS]
    page_number = filters.page
    return render(
        request,
        "dashboard/courses.html",
        {
            "filters": filters,
            "choices": filter_choices(request.user),
            "page_sizes": PAGE_SIZES,
            "table": table,
            "headers": headers,
            "chart": chart,
            "count": sums["courses"],
            "pages": pages,
            "previous_query": filters.query(page=page_number - 1) if page_number > 1 else None,
            "next_query": filters.query(page=page_number + 1) if page_number < pages else None,
            "csv_query": filters.query(format="csv", page=1),
            "tiles": [
                Tile(_("Enrolled learners"), sums["enrollment_total"]),
                Tile(_("Change, last 7 days"), sums["change_total"]),
                Tile(_("Active learners last week"), sums["active_total"]),
            ],
            "last_updated": last_published(("course_summary", "course_activity")),
        },
    )


def _sort_header(column: Column, filters: CourseFilters) -> dict[str, object]:
    """A column header: whether the list is sorted by it, and the link that sorts (or reverses) it."""
    current = column.key == filters.sort
    # The first click sorts text A→Z and numbers largest first; a second click reverses.
    descending = not filters.descending if current else column.numeric
    return {
        "column": column,
        "sortable": column.key in SORTS,
        "current": current,
        "descending": filters.descending,
        "query": filters.query(sort=("-" if descending else "") + column.key, page=1),
    }


def _course_row(row: dict[str, Any]) -> dict[str, Any]:
    availability = folded_availability(row["availability"])
    return {
        **row,
        "catalog_course_title": row["title"],
        "title": row["title"] or row["course_id"],
        "availability": AVAILABILITY_LABELS.get(availability or UNKNOWN, availability),
        "pacing_type": PACING_LABELS.get(row["pacing_type"], row["pacing_type"]),
    }
