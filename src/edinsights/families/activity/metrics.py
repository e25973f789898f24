"""Weekly activity: distinct learners per course and week, by kind of activity.

Rules (docs/metrics.md): weeks run from Monday 00:00 UTC to the next Monday. ACTIVE counts any
event of a signed-in learner in the course except enrollment events and `task`-source events;
ATTEMPTED_PROBLEM server `problem_check` (and, beyond the original, other graded problems'
`edx.grades.problem.submitted`); PLAYED_VIDEO browser or mobile `play_video`; POSTED_FORUM
server `edx.forum.*.created`.
"""

from __future__ import annotations

from edinsights.families.activity.vocabulary import SQL_LABELS
from edinsights.metrics.literals import render
from edinsights.metrics.registry import Metric, continued, sql_beside
from edinsights.metrics.snippets import PROBLEM_ATTEMPTS, VIDEO_EVENTS

COURSE_ACTIVITY = Metric(
    name="course_activity",
    inputs=("events",),
    sql=PROBLEM_ATTEMPTS + render(sql_beside(__file__, "course_activity.sql"), SQL_LABELS),
    table="course_activity",
    date_column="interval_start",
    description="Distinct learners per course and week, by kind of activity.",
)

SECTION_ACTIVITY = Metric(
    name="section_activity",
    # The outline places each event's block in its section: a structure import makes it stale.
    inputs=("events", "structure_blocks"),
    sql=sql_beside(__file__, "section_blocks.sql")
    + continued(VIDEO_EVENTS)
    + continued(PROBLEM_ATTEMPTS)
    + sql_beside(__file__, "section_activity.sql"),
    table="edinsights_section_activity",
    description="Per course section: learners who viewed something in it and who tried its problems.",
)
