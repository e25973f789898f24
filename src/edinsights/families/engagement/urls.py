"""The engagement module's routes: `api_urls` (under /api/v0/) and `dashboard_urls` (the dashboard's)."""

from django.urls import path

from edinsights.dashboard.converters import COURSE
from edinsights.dashboard.views import course_page
from edinsights.families.engagement import api, pages

api_urls = [
    path(COURSE + "user_engagement/", api.UserEngagementView.as_view(), name="api-user-engagement"),
]

dashboard_urls = [
    path(COURSE + "engagement/learners/", course_page(pages.learners), name="learners"),
]
