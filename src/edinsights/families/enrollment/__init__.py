"""Enrollment: learners enrolled per course and day, by mode, the course summaries, and the
Courses list (the dashboard's first page) with the course home's enrollment tiles."""

from django.utils.translation import gettext_lazy as _

from edinsights.families.enrollment.metrics import COURSE_SUMMARY, ENROLLMENT_DAILY, ENROLLMENT_MODE_DAILY
from edinsights.modules import AnalyticsModule, NavigationEntry

MODULE = AnalyticsModule(
    name="enrollment",
    app="edinsights.families.enrollment",
    metrics=(ENROLLMENT_DAILY, ENROLLMENT_MODE_DAILY, COURSE_SUMMARY),
    models=(
        "enrollment.CourseEnrollmentDaily",
        "enrollment.CourseEnrollmentModeDaily",
        "enrollment.CourseMetaSummaryEnrollment",
    ),
    course_models=("enrollment.CourseMetaSummaryEnrollment", "enrollment.CourseEnrollmentDaily"),
    api_urls="edinsights.families.enrollment.urls:api_urls",
    dashboard_urls="edinsights.families.enrollment.urls:dashboard_urls",
    navigation=(
        NavigationEntry("enrollment-activity", "enrollment_activity", _("Activity"), _("Enrollment"), 10),
    ),
    docs=("docs/metrics.md", "docs/api.md", "docs/dashboard.md"),
    course_home="edinsights.families.enrollment.pages:course_home",
    course_title="edinsights.families.enrollment.pages:course_title",
)
