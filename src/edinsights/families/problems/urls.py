"""The problems module's routes: `api_urls` (under /api/v0/) and `dashboard_urls` (the dashboard's)."""

from django.urls import path

from edinsights.dashboard.converters import COURSE
from edinsights.dashboard.views import course_page
from edinsights.families.problems import api, graded, outcomes, pages, views

api_urls = [
    path(COURSE + "problems/", api.ProblemsView.as_view(), name="api-problems"),
    path(COURSE + "problems_and_tags/", api.ProblemsAndTagsView.as_view(), name="api-problems-and-tags"),
    path(
        "problems/<path:problem_id>/answer_distribution/",
        api.AnswerDistributionView.as_view(),
        name="api-answer-distribution",
    ),
]

dashboard_urls = [
    path(COURSE + "performance/problems/<eventid:module_id>/", views.problem, name="problem"),
    # Links of earlier versions (`…/problems/i4x://org/course/problem/x/`) keep working.
    path(COURSE + "performance/problems/<path:module_id>/", views.problem, name="problem_by_path"),
    path(COURSE + "performance/problems/", course_page(pages.problems), name="problems"),
    path(COURSE + "performance/tags/", course_page(pages.tags), name="tags"),
    # Graded content and ungraded problems, in the course outline (graded.py).
    path(COURSE + "performance/graded/", course_page(graded.graded_content), name="graded"),
    path(COURSE + "performance/graded/<str:type>/", course_page(graded.assignment_type), name="graded_type"),
    path(
        COURSE + "performance/graded/<str:type>/<str:assignment>/",
        course_page(graded.assignment),
        name="graded_assignment",
    ),
    path(COURSE + "performance/ungraded/", course_page(graded.ungraded_problems), name="ungraded"),
    path(
        COURSE + "performance/ungraded/<str:section>/",
        course_page(graded.ungraded_section),
        name="ungraded_section",
    ),
    path(
        COURSE + "performance/ungraded/<str:section>/<str:subsection>/",
        course_page(graded.ungraded_subsection),
        name="ungraded_subsection",
    ),
    # Learning outcomes (outcomes.py): an outcome is author text, one percent-encoded segment.
    path(COURSE + "performance/outcomes/<eventid:outcome>/", course_page(outcomes.outcome), name="outcome"),
    path(COURSE + "performance/outcomes/", course_page(outcomes.outcomes), name="outcomes"),
]
