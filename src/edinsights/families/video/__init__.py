"""Video engagement: viewing segments per learner, rolled up per video and per 5-second segment."""

from django.utils.translation import gettext_lazy as _

from edinsights.metrics.video import VIDEO, VIDEO_TIMELINE
from edinsights.modules import AnalyticsModule, NavigationEntry

MODULE = AnalyticsModule(
    name="video",
    metrics=(VIDEO, VIDEO_TIMELINE),
    models=("results.Video", "results.VideoTimeline"),
    course_models=("results.Video",),
    api_urls="edinsights.families.video.urls:api",
    dashboard_urls="edinsights.families.video.urls:dashboard",
    navigation=(NavigationEntry("engagement-videos", "videos", _("Videos"), _("Engagement"), 30),),
    docs=("docs/metrics.md", "docs/api.md", "docs/dashboard.md"),
)
