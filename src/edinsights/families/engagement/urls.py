"""The engagement module's routes: `api` under /api/v0/, `dashboard` under the dashboard's namespace."""

from django.urls import path

from edinsights.api import views as api_views
from edinsights.dashboard import views as dashboard_views
from edinsights.dashboard.converters import COURSE

api = [
    path(COURSE + "user_engagement/", api_views.UserEngagementView.as_view(), name="api-user-engagement"),
]

dashboard = [
    path(COURSE + "engagement/learners/", dashboard_views.learners, name="learners"),
]
