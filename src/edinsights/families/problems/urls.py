"""The problems module's routes: `api_urls` (under /api/v0/) and `dashboard_urls` (the dashboard's)."""

from django.urls import path

from edinsights.api import views as api_views
from edinsights.dashboard import views as dashboard_views
from edinsights.dashboard.converters import COURSE

api_urls = [
    path(COURSE + "problems/", api_views.ProblemsView.as_view(), name="api-problems"),
    path(
        COURSE + "problems_and_tags/", api_views.ProblemsAndTagsView.as_view(), name="api-problems-and-tags"
    ),
    path(
        "problems/<path:problem_id>/answer_distribution/",
        api_views.AnswerDistributionView.as_view(),
        name="api-answer-distribution",
    ),
]

dashboard_urls = [
    path(COURSE + "performance/problems/<eventid:module_id>/", dashboard_views.problem, name="problem"),
    # Links of earlier versions (`…/problems/i4x://org/course/problem/x/`) keep working.
    path(COURSE + "performance/problems/<path:module_id>/", dashboard_views.problem, name="problem_by_path"),
    path(COURSE + "performance/problems/", dashboard_views.problems, name="problems"),
    path(COURSE + "performance/tags/", dashboard_views.tags, name="tags"),
]
