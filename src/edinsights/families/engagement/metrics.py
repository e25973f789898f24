"""Learner engagement: what each learner did per day and entity, and the course's ranges.

Rules (docs/metrics.md): problems attempted and completed (server `problem_check`; other
graded problems' `edx.grades.problem.submitted` as attempts, beyond the original), videos
viewed (plays), discussion contributions (forum `*.created`), per learner, course, day and
entity; and per course, over the last 7 days of the computed range, each learner metric's
low / normal / high ranges split at the 15th and 85th percentiles, as the original derives them.
"""

from __future__ import annotations

from edinsights.families.video.metrics import VIDEO_EVENTS
from edinsights.families.problems.metrics import PROBLEM_ATTEMPTS
from edinsights.metrics.registry import Metric, continued, register, sql_beside

ENGAGEMENT = VIDEO_EVENTS + continued(PROBLEM_ATTEMPTS) + sql_beside(__file__, "engagement_rows.sql")
LEARNER_METRICS = sql_beside(__file__, "engagement_learners.sql")
RANGES = sql_beside(__file__, "engagement_ranges.sql")
"""Reads `learner_metrics` (course_id, metric, value; NULL: the learner does not count)."""

MODULE_ENGAGEMENT = register(
    Metric(
        name="module_engagement",
        inputs=("events",),
        sql=ENGAGEMENT + sql_beside(__file__, "module_engagement.sql"),
        table="module_engagement",
        date_column="date",
        columns=("course_id", "username", "date", "entity_type", "entity_id", "event", "count"),
        description="Per learner, course, day and entity: problem attempts, completions, views, posts.",
    )
)

ENGAGEMENT_RANGES = register(
    Metric(
        name="module_engagement_metric_ranges",
        inputs=("events",),
        sql=ENGAGEMENT + LEARNER_METRICS + RANGES,
        table="module_engagement_metric_ranges",
        columns=("course_id", "start_date", "end_date", "metric", "range_type", "low_value", "high_value"),
        description="Per course, last 7 days: low / normal / high ranges of each learner metric.",
    )
)
