"""The engagement module's vocabulary, written once: its SQL (rendered in, edinsights.metrics.literals),
its API, its pages and bench/resultgen.py read these names.

No Django imports beyond lazy translations: the module's declaration imports this while
Django's settings load.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# module_engagement: what a learner did with an entity (docs/metrics.md).
PROBLEM = "problem"
VIDEO = "video"
DISCUSSION = "discussion"
ATTEMPTED = "attempted"
COMPLETED = "completed"
VIEWED = "viewed"
CONTRIBUTED = "contributed"

# module_engagement_metric_ranges: the learner metrics, in the order pages list them.
PROBLEM_ATTEMPTS = "problem_attempts"
PROBLEMS_ATTEMPTED = "problems_attempted"
PROBLEMS_COMPLETED = "problems_completed"
PROBLEM_ATTEMPTS_PER_COMPLETED = "problem_attempts_per_completed"
VIDEOS_VIEWED = "videos_viewed"
DISCUSSION_CONTRIBUTIONS = "discussion_contributions"
ENGAGEMENT_METRICS = {
    PROBLEM_ATTEMPTS: _("Problem attempts"),
    PROBLEMS_ATTEMPTED: _("Problems tried"),
    PROBLEMS_COMPLETED: _("Problems solved"),
    PROBLEM_ATTEMPTS_PER_COMPLETED: _("Attempts per problem solved"),
    VIDEOS_VIEWED: _("Videos viewed"),
    DISCUSSION_CONTRIBUTIONS: _("Forum contributions"),
}
"""Learner metric → its label on the pages."""

# The ranges of each metric, in order (the API and the table list them so): below the low
# percentile, between the two, above the high one.
LOW = "low"
NORMAL = "normal"
HIGH = "high"
RANGE_TYPES = (LOW, NORMAL, HIGH)
LOW_PERCENTILE = 0.15
HIGH_PERCENTILE = 0.85
