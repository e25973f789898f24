"""The engagement module's routes: `api_urls` (under /api/v0/) and `dashboard_urls` (the dashboard's)."""

from django.urls import path

from edinsights.api import views as api_views
from edinsights.dashboard import views as dashboard_views
from edinsights.dashboard.converters import COURSE

api_urls = [
    path(COURSE + "user_engagement/", api_views.UserEngagementView.as_view(), name="api-user-engagement"),
]

dashboard_urls = [
    path(COURSE + "engagement/learners/", dashboard_views.learners, name="learners"),
]
