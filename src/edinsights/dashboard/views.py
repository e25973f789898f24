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
from edinsights.modules import NavigationEntry, navigation
from edinsights.results.freshness import last_published

HOME = NavigationEntry("home", "course", gettext_lazy("Course home"), order=0)
"""The core's own entry; the others are the modules' (edinsights.modules.navigation)."""


def course_navigation() -> tuple[NavigationEntry, ...]:
    """The course navigation: the course home, then every module's entries by their order."""
    return (HOME, *navigation())


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "dashboard/bad_request.html", {"message": message}, status=400)


def wants_csv(request: HttpRequest) -> bool:
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
        if wants_csv(request):
            if page.csv_table is None:
                raise Http404(_("This page has no table to download"))
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


def index(request: HttpRequest) -> HttpResponse:
    return redirect("dashboard:courses")
