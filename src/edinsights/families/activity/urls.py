"""The activity module's routes: `api_urls` (under /api/v0/) and `dashboard_urls` (the dashboard's)."""

from django.urls import path

from edinsights.api import views as api_views
from edinsights.dashboard import views as dashboard_views
from edinsights.dashboard.converters import COURSE

api_urls = [
    path(COURSE + "activity/", api_views.ActivityView.as_view(), name="api-activity"),
    path(COURSE + "recent_activity/", api_views.RecentActivityView.as_view(), name="api-recent-activity"),
]

dashboard_urls = [
    path(COURSE + "engagement/content/", dashboard_views.engagement_content, name="engagement_content"),
]
