"""Video engagement: viewing segments per learner, rolled up per video and per 5-second segment.

Its Django app (models.py, migrations/), metrics and their SQL (metrics.py), Data API views
(api.py), page builders (pages.py), course-home part (home.py) and routes (urls.py) live here.
"""

from django.utils.translation import gettext_lazy as _

from edinsights.families.video.metrics import VIDEO, VIDEO_TIMELINE
from edinsights.modules import AnalyticsModule, NavigationEntry

MODULE = AnalyticsModule(
    name="video",
    app="edinsights.families.video",
    metrics=(VIDEO, VIDEO_TIMELINE),
    models=("video.Video", "video.VideoTimeline"),
    course_models=("video.Video",),
    api_urls="edinsights.families.video.urls:api_urls",
    dashboard_urls="edinsights.families.video.urls:dashboard_urls",
    navigation=(NavigationEntry("engagement-videos", "videos", _("Videos"), _("Engagement"), 30),),
    docs=("docs/metrics.md", "docs/api.md", "docs/dashboard.md"),
    course_home="edinsights.families.video.home:course_home",
)
