"""Problem performance: answer distributions, per-problem totals and tag distributions.

Rules (docs/metrics.md): from server `problem_check` events, whose answered parts ingest
extracted into `problem_parts` (docs/event-store.md, rule 12). Each learner's first and last
submission of a problem count once each; every submission counts in `count`. Recomputed whole:
a learner's first submission may lie anywhere in the past. The names the SQL compares with are
vocabulary.py's, rendered in as it is loaded.
"""

from __future__ import annotations

from edinsights.families.problems import vocabulary
from edinsights.metrics.literals import constants, render
from edinsights.metrics.registry import Metric, sql_beside


def _sql(name: str) -> str:
    return render(sql_beside(__file__, name), constants(vocabulary))


SUBMISSIONS = _sql("problem_submissions.sql")

ANSWER_DISTRIBUTION = Metric(
    name="answer_distribution",
    inputs=("events",),
    sql=SUBMISSIONS + _sql("answer_distribution.sql"),
    table="answer_distribution",
    description="Per problem part, answer and variant: learners' first and last answers.",
)

PROBLEM_SUMMARY = Metric(
    name="problem_summary",
    inputs=("events",),
    sql=SUBMISSIONS + _sql("problem_summary.sql"),
    table="edinsights_problem_summary",
    description="Per problem: submissions, correct submissions, learners and learners correct.",
)

TAGS_DISTRIBUTION = Metric(
    name="tags_distribution",
    inputs=("events",),
    sql=SUBMISSIONS + _sql("tags_distribution.sql"),
    table="tags_distribution",
    description="Per problem and tag value: submissions and correct submissions.",
)
