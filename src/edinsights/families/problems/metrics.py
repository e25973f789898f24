"""Problem performance: answer distributions, per-problem totals and tag distributions.

Rules (docs/metrics.md): from server `problem_check` events, whose answered parts ingest
extracted into `problem_parts` (docs/event-store.md, rule 12). Each learner's first and last
submission of a problem count once each; every submission counts in `count`. Recomputed whole:
a learner's first submission may lie anywhere in the past.
"""

from __future__ import annotations

from edinsights.metrics.registry import Metric, register, sql_beside

PROBLEM_ATTEMPTS = sql_beside(__file__, "problem_attempts.sql")
"""Read by weekly activity and learner engagement: learners' attempts at problems (`problem_attempts`)."""
SUBMISSIONS = sql_beside(__file__, "problem_submissions.sql")

ANSWER_DISTRIBUTION = register(
    Metric(
        name="answer_distribution",
        inputs=("events",),
        sql=SUBMISSIONS + sql_beside(__file__, "answer_distribution.sql"),
        table="answer_distribution",
        columns=(
            "course_id",
            "module_id",
            "part_id",
            "correct",
            "count",
            "first_response_count",
            "last_response_count",
            "value_id",
            "answer_value",
            "variant",
            "problem_display_name",
            "question_text",
        ),
        description="Per problem part, answer and variant: learners' first and last answers.",
    )
)

PROBLEM_SUMMARY = register(
    Metric(
        name="problem_summary",
        inputs=("events",),
        sql=SUBMISSIONS + sql_beside(__file__, "problem_summary.sql"),
        table="edinsights_problem_summary",
        columns=(
            "course_id",
            "module_id",
            "problem_display_name",
            "total_submissions",
            "correct_submissions",
            "users",
            "users_correct",
        ),
        description="Per problem: submissions, correct submissions, learners and learners correct.",
    )
)

TAGS_DISTRIBUTION = register(
    Metric(
        name="tags_distribution",
        inputs=("events",),
        sql=SUBMISSIONS + sql_beside(__file__, "tags_distribution.sql"),
        table="tags_distribution",
        columns=(
            "course_id",
            "module_id",
            "tag_name",
            "tag_value",
            "total_submissions",
            "correct_submissions",
        ),
        description="Per problem and tag value: submissions and correct submissions.",
    )
)
