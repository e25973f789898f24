"""Activity: distinct learners per course and week, by kind of activity, and per course section."""

from django.utils.translation import gettext_lazy as _

from edinsights.families.activity.metrics import COURSE_ACTIVITY, SECTION_ACTIVITY
from edinsights.modules import AnalyticsModule, NavigationEntry

MODULE = AnalyticsModule(
    name="activity",
    app="edinsights.families.activity",
    metrics=(COURSE_ACTIVITY, SECTION_ACTIVITY),
    models=("activity.CourseActivity", "activity.SectionActivity"),
    course_models=("activity.CourseActivity",),
    api_urls="edinsights.families.activity.urls:api_urls",
    dashboard_urls="edinsights.families.activity.urls:dashboard_urls",
    navigation=(
        NavigationEntry("engagement-content", "engagement_content", _("Content"), _("Engagement"), 20),
    ),
    docs=("docs/metrics.md", "docs/api.md", "docs/dashboard.md"),
    course_home="edinsights.families.activity.pages:course_home",
)
