"""Enrollment metrics: learners enrolled per course and day, in total and by mode.

Rules (docs/metrics.md): from `edx.course.enrollment.activated` / `deactivated` /
`mode_changed` (an activation enrolls, a deactivation unenrolls, a mode change leaves the
state; events at the same instant: activation, deactivation, mode change), each learner's
end-of-day state is the state after their last event of the day, and their mode the mode that
event names, deactivations included. A learner whose first event is a
deactivation or a mode change had enrolled before the logs began and counts as enrolled, in the
mode that event names, from the course's first day. Every course gets a row for each day from
its first enrollment event through the end of the computed range. The course summary adds
each course's catalog entry from the imported structure (course_summary.sql).
"""

from __future__ import annotations

from edinsights.metrics.registry import Metric, sql_beside

STATES = sql_beside(__file__, "enrollment_states.sql")

ENROLLMENT_DAILY = Metric(
    name="enrollment_daily",
    inputs=("events",),
    sql=STATES + sql_beside(__file__, "enrollment_daily.sql"),
    table="course_enrollment_daily",
    description="Learners enrolled at the end of each day, and learners ever enrolled, per course.",
)

ENROLLMENT_MODE_DAILY = Metric(
    name="enrollment_mode_daily",
    inputs=("events",),
    sql=STATES + sql_beside(__file__, "enrollment_mode_daily.sql"),
    table="course_enrollment_mode_daily",
    description="Learners enrolled at the end of each day, and ever enrolled, per course and mode.",
)

COURSE_SUMMARY = Metric(
    name="course_summary",
    # The catalog columns come from the imported structure: an import makes the summary stale.
    inputs=("events", "structure_courses"),
    sql=sql_beside(__file__, "course_summary.sql").replace(
        "FROM mode_daily", f"FROM ({ENROLLMENT_MODE_DAILY.sql}) AS mode_daily"
    ),
    table="course_meta_summary_enrollment",
    description=(
        "Per course and mode: current and cumulative enrollment, change over 7 days, and the "
        "course's catalog entry (title, dates, pacing, availability)."
    ),
)
