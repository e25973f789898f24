"""The activity module's routes: `api_urls` (under /api/v0/) and `dashboard_urls` (the dashboard's)."""

from django.urls import path

from edinsights.dashboard.converters import COURSE
from edinsights.dashboard.views import course_page
from edinsights.families.activity import api, pages, sections

api_urls = [
    path(COURSE + "activity/", api.ActivityView.as_view(), name="api-activity"),
    path(COURSE + "recent_activity/", api.RecentActivityView.as_view(), name="api-recent-activity"),
]

dashboard_urls = [
    path(COURSE + "engagement/content/", course_page(pages.engagement_content), name="engagement_content"),
    path(COURSE + "engagement/content/sections/", course_page(sections.sections), name="engagement_sections"),
]
