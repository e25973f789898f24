"""Learner engagement: what each learner did per day and entity, and the course's ranges."""

from django.utils.translation import gettext_lazy as _

from edinsights.families.engagement.metrics import ENGAGEMENT_RANGES, MODULE_ENGAGEMENT
from edinsights.modules import AnalyticsModule, NavigationEntry

MODULE = AnalyticsModule(
    name="engagement",
    app="edinsights.families.engagement",
    metrics=(MODULE_ENGAGEMENT, ENGAGEMENT_RANGES),
    models=("engagement.ModuleEngagement", "engagement.ModuleEngagementMetricRanges"),
    api_urls="edinsights.families.engagement.urls:api_urls",
    dashboard_urls="edinsights.families.engagement.urls:dashboard_urls",
    navigation=(NavigationEntry("engagement-learners", "learners", _("Learners"), _("Engagement"), 40),),
    docs=("docs/metrics.md", "docs/api.md", "docs/dashboard.md"),
)
