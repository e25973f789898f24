"""The enrollment module's routes: `api_urls` (under /api/v0/) and `dashboard_urls` (the dashboard's)."""

from django.urls import path

from edinsights.api import views as api_views
from edinsights.dashboard import views as dashboard_views
from edinsights.dashboard.converters import COURSE

api_urls = [
    path(COURSE + "enrollment/", api_views.EnrollmentView.as_view(), name="api-enrollment"),
    path(COURSE + "enrollment/mode/", api_views.EnrollmentModeView.as_view(), name="api-enrollment-mode"),
    path("course_summaries/", api_views.CourseSummariesView.as_view(), name="api-course-summaries"),
    path("course_totals/", api_views.CourseTotalsView.as_view(), name="api-course-totals"),
]

dashboard_urls = [
    path(COURSE + "enrollment/activity/", dashboard_views.enrollment_activity, name="enrollment_activity"),
]
