"""The dashboard's pages. Course ids may hold slashes (`Org/Course/Run`), so they are `path`s;
the more specific pages come first so that a page name never becomes part of a course id.

Video and problem ids come from learners' events and may hold anything (`/`, `?`, `#`, `%`,
spaces, `..`): they are one path segment of their own (`EventIdConverter`), so that a browser
or a proxy can neither split, merge nor normalise them.
"""

from urllib.parse import quote, unquote

from django.urls import path, register_converter

from edinsights.dashboard import views


class EventIdConverter:
    """An id from events as one URL segment: percent-encoded (`/` → `%2F`, `.` → `%2E`) here, and
    once more by `reverse()`, so that the segment still holds `%2F` after the server decoded the
    path (WSGI's PATH_INFO is decoded) and no `/`, `.` or `..` segment ever reaches the browser.
    Ids of plain characters (`block-v1:edX+DemoX+2024+type@video+block@intro`) stay readable."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return unquote(value)

    def to_url(self, value: str) -> str:
        return quote(value, safe=":+@~-_").replace(".", "%2E")


register_converter(EventIdConverter, "eventid")

app_name = "dashboard"

COURSE = "courses/<path:course_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("courses/", views.courses, name="courses"),
    path(COURSE + "enrollment/activity/", views.enrollment_activity, name="enrollment_activity"),
    path(COURSE + "engagement/content/", views.engagement_content, name="engagement_content"),
    path(COURSE + "engagement/videos/<eventid:block>/", views.video, name="video"),
    path(COURSE + "engagement/videos/", views.videos, name="videos"),
    path(COURSE + "engagement/learners/", views.learners, name="learners"),
    path(COURSE + "performance/problems/<eventid:module_id>/", views.problem, name="problem"),
    # Links of earlier versions (`…/problems/i4x://org/course/problem/x/`) keep working.
    path(COURSE + "performance/problems/<path:module_id>/", views.problem, name="problem_by_path"),
    path(COURSE + "performance/problems/", views.problems, name="problems"),
    path(COURSE + "performance/tags/", views.tags, name="tags"),
    path(COURSE, views.course_home, name="course"),
]
