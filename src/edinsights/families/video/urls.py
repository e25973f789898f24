"""The video module's routes: `api_urls` (under /api/v0/) and `dashboard_urls` (the dashboard's)."""

from django.urls import path

from edinsights.dashboard.converters import COURSE
from edinsights.dashboard.views import course_page
from edinsights.families.video import api, pages

api_urls = [
    path(COURSE + "videos/", api.VideosView.as_view(), name="api-videos"),
    path("videos/<path:video_id>/timeline/", api.VideoTimelineView.as_view(), name="api-video-timeline"),
]

dashboard_urls = [
    path(COURSE + "engagement/videos/<eventid:block>/", course_page(pages.video_timeline), name="video"),
    path(COURSE + "engagement/videos/", course_page(pages.videos), name="videos"),
]
