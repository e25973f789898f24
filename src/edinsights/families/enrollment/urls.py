"""The enrollment module's routes: `api_urls` (under /api/v0/) and `dashboard_urls` (the dashboard's,
the Courses list among them)."""

from django.urls import path

from edinsights.dashboard.converters import COURSE
from edinsights.dashboard.views import course_page
from edinsights.families.enrollment import api, pages, views

api_urls = [
    path(COURSE + "enrollment/", api.EnrollmentView.as_view(), name="api-enrollment"),
    path(COURSE + "enrollment/mode/", api.EnrollmentModeView.as_view(), name="api-enrollment-mode"),
    path("course_summaries/", api.CourseSummariesView.as_view(), name="api-course-summaries"),
    path("course_totals/", api.CourseTotalsView.as_view(), name="api-course-totals"),
]

dashboard_urls = [
    path("courses/", views.courses, name="courses"),
    path(COURSE + "enrollment/activity/", course_page(pages.enrollment_activity), name="enrollment_activity"),
]
