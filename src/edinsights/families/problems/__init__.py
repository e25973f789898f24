"""Problem performance: answer distributions, per-problem totals and tag distributions."""

from django.utils.translation import gettext_lazy as _

from edinsights.families.problems.metrics import ANSWER_DISTRIBUTION, PROBLEM_SUMMARY, TAGS_DISTRIBUTION
from edinsights.modules import AnalyticsModule, NavigationEntry

MODULE = AnalyticsModule(
    name="problems",
    app="edinsights.families.problems",
    metrics=(ANSWER_DISTRIBUTION, PROBLEM_SUMMARY, TAGS_DISTRIBUTION),
    models=("problems.AnswerDistribution", "problems.ProblemSummary", "problems.TagsDistribution"),
    course_models=("problems.ProblemSummary",),
    api_urls="edinsights.families.problems.urls:api_urls",
    dashboard_urls="edinsights.families.problems.urls:dashboard_urls",
    navigation=(
        NavigationEntry("performance-problems", "problems", _("Problems"), _("Performance"), 50),
        NavigationEntry("performance-tags", "tags", _("Problem tags"), _("Performance"), 60),
        # Graded content and ungraded problems (graded.py).
        NavigationEntry("performance-graded", "graded", _("Graded content"), _("Performance"), 45),
        NavigationEntry("performance-ungraded", "ungraded", _("Ungraded problems"), _("Performance"), 47),
        # Learning outcomes (outcomes.py)
        NavigationEntry("performance-outcomes", "outcomes", _("Learning outcomes"), _("Performance"), 55),
    ),
    docs=("docs/metrics.md", "docs/api.md", "docs/dashboard.md"),
    course_home="edinsights.families.problems.home:course_home",
)
