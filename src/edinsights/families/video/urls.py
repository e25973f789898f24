"""The video module's routes: `api_urls` (under /api/v0/) and `dashboard_urls` (the dashboard's)."""

from django.urls import path

from edinsights.dashboard.converters import COURSE
from edinsights.dashboard.views import course_page
from edinsights.families.video import api, pages

api_urls = [
    path(COURSE + "videos/", api.VideosView.as_view(), name="api-videos"),
    path("videos/<path:video_id>/timeline/", api.VideoTimelineView.as_view(), name="api-video-timeline"),
]

# A video's page and a section's share `engagement/videos/<key>/` (both keys are block names):
# one view answers both (pages.video_or_section); "videos-section" names the same route for reverse().
video_or_section = course_page(pages.video_or_section)

dashboard_urls = [
    path(COURSE + "engagement/videos/<eventid:block>/", video_or_section, name="video"),
    path(COURSE + "engagement/videos/<str:section>/", video_or_section, name="videos-section"),
    path(
        COURSE + "engagement/videos/<str:section>/<str:subsection>/",
        course_page(pages.video_subsection),
        name="videos-subsection",
    ),
    path(COURSE + "engagement/videos/", course_page(pages.videos), name="videos"),
]
