"""`/api/v0/`: the original Analytics Data API's paths (course ids may contain slashes)."""

from django.urls import path

from edinsights.api import status, views

COURSE = "courses/<path:course_id>/"

urlpatterns = [
    path(COURSE + "enrollment/", views.EnrollmentView.as_view(), name="api-enrollment"),
    path(COURSE + "enrollment/mode/", views.EnrollmentModeView.as_view(), name="api-enrollment-mode"),
    path(COURSE + "activity/", views.ActivityView.as_view(), name="api-activity"),
    path(COURSE + "recent_activity/", views.RecentActivityView.as_view(), name="api-recent-activity"),
    path(COURSE + "problems/", views.ProblemsView.as_view(), name="api-problems"),
    path(COURSE + "problems_and_tags/", views.ProblemsAndTagsView.as_view(), name="api-problems-and-tags"),
    path(COURSE + "videos/", views.VideosView.as_view(), name="api-videos"),
    path(COURSE + "user_engagement/", views.UserEngagementView.as_view(), name="api-user-engagement"),
    path(
        "problems/<path:problem_id>/answer_distribution/",
        views.AnswerDistributionView.as_view(),
        name="api-answer-distribution",
    ),
    path("videos/<path:video_id>/timeline/", views.VideoTimelineView.as_view(), name="api-video-timeline"),
    path("course_summaries/", views.CourseSummariesView.as_view(), name="api-course-summaries"),
    path("course_totals/", views.CourseTotalsView.as_view(), name="api-course-totals"),
    # The original client asks for these without a trailing slash (the slash forms stay out of the schema).
    path("status", status.StatusView.as_view(), name="api-status"),
    path("status/", status.StatusView.as_view(schema=None)),
    path("authenticated", status.AuthenticatedView.as_view(), name="api-authenticated"),
    path("authenticated/", status.AuthenticatedView.as_view(schema=None)),
    path("health", status.HealthView.as_view(), name="api-health"),
    path("health/", status.HealthView.as_view(schema=None)),
]
