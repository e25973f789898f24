"""The forum module's routes: `api_urls` (under /api/v0/) and `dashboard_urls` (the dashboard's)."""

from django.urls import path
from edinsights.dashboard.converters import COURSE
from edinsights.dashboard.views import course_page

from edinsights_forum import api, pages

api_urls = [
    path(COURSE + "forum/topics/", api.ForumTopicsView.as_view(), name="api-forum-topics"),
    path(COURSE + "forum/", api.ForumActivityView.as_view(), name="api-forum"),
]

dashboard_urls = [
    path(COURSE + "engagement/discussions/topics/", course_page(pages.topics), name="forum-topics"),
    path(COURSE + "engagement/discussions/", course_page(pages.discussions), name="forum"),
]
