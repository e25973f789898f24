"""The dashboard's pages. Course ids may hold slashes (`Org/Course/Run`), so they are `path`s;
the more specific pages come first so that a page name never becomes part of a course id."""

from django.urls import path

from edinsights.dashboard import views

app_name = "dashboard"

COURSE = "courses/<path:course_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("courses/", views.courses, name="courses"),
    path(COURSE + "enrollment/activity/", views.enrollment_activity, name="enrollment_activity"),
    path(COURSE + "engagement/content/", views.engagement_content, name="engagement_content"),
    path(COURSE + "engagement/videos/<str:block>/", views.video, name="video"),
    path(COURSE + "engagement/videos/", views.videos, name="videos"),
    path(COURSE + "engagement/learners/", views.learners, name="learners"),
    path(COURSE + "performance/problems/<path:module_id>/", views.problem, name="problem"),
    path(COURSE + "performance/problems/", views.problems, name="problems"),
    path(COURSE + "performance/tags/", views.tags, name="tags"),
    path(COURSE, views.course_home, name="course"),
]
