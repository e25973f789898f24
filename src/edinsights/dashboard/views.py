"""The dashboard's views: thin wrappers that check access, build a page and render it or its CSV.

Every course page goes through `course_page`: a malformed course id is a 400 with a message; a
course the user may not read, or one no result table knows, is a 404 (the API answers the
same, through the same `edinsights.api.access` layer). `?format=csv` on any page downloads
the page's table.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from edinsights.api.access import can_read
from edinsights.dashboard import pages
from edinsights.dashboard.courses import (
    PAGE_SIZES,
    SORTS,
    BadFilter,
    CourseFilters,
    filter_choices,
    matching_courses,
    totals,
)
from edinsights.dashboard.presentation import DATE, TEXT, Chart, Column, Series, Table, Tile
from edinsights.modules import NavigationEntry, navigation
from edinsights.results.freshness import last_published

HOME = NavigationEntry("home", "course", gettext_lazy("Course home"), order=0)
"""The core's own entry; the others are the modules' (edinsights.modules.navigation)."""


def course_navigation() -> tuple[NavigationEntry, ...]:
    """The course navigation: the course home, then every module's entries by their order."""
    return (HOME, *navigation())


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "dashboard/bad_request.html", {"message": message}, status=400)


def _wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"


CourseView = Callable[..., pages.Page | None]


def course_page(build: CourseView) -> Callable[..., HttpResponse]:
    """A view for `build(course, *keys)`: access checks, then the page or its CSV."""

    @login_required
    @wraps(build)
    def view(request: HttpRequest, course_id: str, **keys: str) -> HttpResponse:
        try:
            course = str(CourseKey.from_string(course_id))
        except InvalidKeyError:
            return bad_request(request, _("Not a valid course id: %(id)s") % {"id": course_id})
        if not can_read(request.user, course) or not pages.course_exists(course):
            raise Http404(_("No results for course %(id)s") % {"id": course})
        page = build(course, *keys.values())
        if page is None:
            raise Http404(_("No results for this course item"))
        if _wants_csv(request):
            return page.csv_table.csv_response(f"{course} {page.title}")
        return render(
            request,
            "dashboard/course_page.html",
            {
                "page": page,
                "course_id": course,
                "course_title": pages.course_title(course),
                "navigation": _navigation(course, page.nav),
                "last_updated": last_published(page.metrics),
            },
        )

    return view


def _navigation(course: str, current: str) -> list[dict[str, object]]:
    return [
        {
            "label": entry.label,
            "group": entry.group,
            "url": pages.course_url(entry.url_name, course),
            "current": entry.key == current,
        }
        for entry in course_navigation()
    ]


course_home = course_page(pages.course_home)
enrollment_activity = course_page(pages.enrollment_activity)
engagement_content = course_page(pages.engagement_content)


def index(request: HttpRequest) -> HttpResponse:
    return redirect("dashboard:courses")


COURSE_COLUMNS = [
    Column(
        "title", gettext_lazy("Course"), TEXT, link=lambda row: pages.course_url("course", row["course_id"])
    ),
    Column("course_id", gettext_lazy("Course id"), TEXT),
    Column("enrollment", gettext_lazy("Enrolled")),
    Column("change", gettext_lazy("Change, last 7 days")),
    Column("verified", gettext_lazy("Verified")),
    Column("active", gettext_lazy("Active last week")),
    Column("availability", gettext_lazy("Availability"), TEXT),
    Column("start_time", gettext_lazy("Starts"), DATE),
]


@login_required
def courses(request: HttpRequest) -> HttpResponse:
    try:
        filters = CourseFilters.from_query(request.GET)
    except BadFilter as error:
        return bad_request(request, str(error))
    matching = matching_courses(request.user, filters)
    if _wants_csv(request):
        rows = [_course_row(row) for row in matching]
        return Table(_("Courses"), COURSE_COLUMNS, rows).csv_response("courses")
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


def _course_row(row: dict[str, object]) -> dict[str, object]:
    return {
        **row,
        "title": row["title"] or row["course_id"],
        "availability": row["availability"] or _("Unknown"),
    }
