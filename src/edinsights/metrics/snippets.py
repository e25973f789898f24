"""SQL snippets that more than one module's metrics read, kept in the core so that no module
imports another's metrics for them (docs/architecture.md, "Modules")."""

from __future__ import annotations

from edinsights.metrics.literals import render
from edinsights.metrics.registry import sql_beside

CORRECT = "correct"
"""The `success` of a graded `problem_check` as the LMS logs it (the problems module's vocabulary
re-exports it: its SQL compares with the same word)."""

PROBLEM_ATTEMPTS = render(sql_beside(__file__, "problem_attempts.sql"), {"CORRECT": CORRECT})
"""A learner's attempts at problems (`problem_attempts`): weekly activity's ATTEMPTED_PROBLEM and
learner engagement's attempts and completions read the same rows."""

VIDEO_EVENTS = sql_beside(__file__, "video_events.sql")
"""Learners' video events (`video_events`): the video module's viewings and learner engagement's
videos viewed start from the same rows."""
