"""Learner engagement: what each learner did per day and entity, and the course's ranges.

Rules (docs/metrics.md): problems attempted and completed (server `problem_check`; other
graded problems' `edx.grades.problem.submitted` as attempts, beyond the original), videos
viewed (plays), discussion contributions (forum `*.created`), per learner, course, day and
entity; and per course, over the last 7 days of the computed range, each learner metric's
low / normal / high ranges split at the 15th and 85th percentiles, as the original derives them.
The names the rows carry are vocabulary.py's, rendered into the SQL as it is loaded.

Starts from two of the core's shared SQL snippets (edinsights.metrics.snippets): learners'
video events (`video_events`, as the video module) and problem attempts (`problem_attempts`,
as weekly activity).
"""

from __future__ import annotations

from edinsights.families.engagement import vocabulary
from edinsights.metrics.literals import constants, render
from edinsights.metrics.registry import Metric, continued, sql_beside
from edinsights.metrics.snippets import PROBLEM_ATTEMPTS, VIDEO_EVENTS


def _sql(name: str) -> str:
    return render(sql_beside(__file__, name), constants(vocabulary))


ENGAGEMENT = VIDEO_EVENTS + continued(PROBLEM_ATTEMPTS) + _sql("engagement_rows.sql")
LEARNER_METRICS = _sql("engagement_learners.sql")
RANGES = _sql("engagement_ranges.sql")
"""Reads `learner_metrics` (course_id, metric, value; NULL: the learner does not count)."""

MODULE_ENGAGEMENT = Metric(
    name="module_engagement",
    inputs=("events",),
    sql=ENGAGEMENT + _sql("module_engagement.sql"),
    table="module_engagement",
    date_column="date",
    description="Per learner, course, day and entity: problem attempts, completions, views, posts.",
)

ENGAGEMENT_RANGES = Metric(
    name="module_engagement_metric_ranges",
    inputs=("events",),
    sql=ENGAGEMENT + LEARNER_METRICS + RANGES,
    table="module_engagement_metric_ranges",
    description="Per course, last 7 days: low / normal / high ranges of each learner metric.",
)
