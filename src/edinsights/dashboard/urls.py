"""The dashboard's pages. Course ids may hold slashes (`Org/Course/Run`), so they are `path`s;
the more specific pages come first so that a page name never becomes part of a course id: the
modules' pages (edinsights.modules, in module order; the Courses list is the enrollment
module's), then the course home page last.

Video and problem ids come from learners' events and may hold anything (`/`, `?`, `#`, `%`,
spaces, `..`): they are one path segment of their own (`EventIdConverter`, in converters.py),
so that a browser or a proxy can neither split, merge nor normalise them.
"""

from django.urls import path

from edinsights.dashboard import views
from edinsights.dashboard.converters import COURSE, EventIdConverter
from edinsights.modules import modules, url_patterns

__all__ = ["COURSE", "EventIdConverter", "app_name", "urlpatterns"]

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    # Spliced in flat (not include()d): every page name stays `dashboard:<name>`.
    *(pattern for module in modules() for pattern in url_patterns(module.dashboard_urls)),
    path(COURSE, views.course_home, name="course"),
]
