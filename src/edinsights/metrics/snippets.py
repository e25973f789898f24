"""SQL snippets that more than one module's metrics read, kept in the core so that no module
imports another's metrics for them (docs/architecture.md, "Modules")."""

from __future__ import annotations

from edinsights.metrics.registry import sql_beside

PROBLEM_ATTEMPTS = sql_beside(__file__, "problem_attempts.sql")
"""A learner's attempts at problems (`problem_attempts`): weekly activity's ATTEMPTED_PROBLEM and
learner engagement's attempts and completions read the same rows."""
