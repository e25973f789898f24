"""The video module's routes: `api` under /api/v0/, `dashboard` under the dashboard's namespace."""

from django.urls import path

from edinsights.api import views as api_views
from edinsights.dashboard import views as dashboard_views
from edinsights.dashboard.converters import COURSE

api = [
    path(COURSE + "videos/", api_views.VideosView.as_view(), name="api-videos"),
    path(
        "videos/<path:video_id>/timeline/", api_views.VideoTimelineView.as_view(), name="api-video-timeline"
    ),
]

dashboard = [
    path(COURSE + "engagement/videos/<eventid:block>/", dashboard_views.video, name="video"),
    path(COURSE + "engagement/videos/", dashboard_views.videos, name="videos"),
]
