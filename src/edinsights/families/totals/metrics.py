"""Daily event totals: edinsights' own health view of what it ingests."""

from __future__ import annotations

from edinsights.metrics.registry import Metric, register, sql_beside

EVENT_TOTALS = register(
    Metric(
        name="event_totals",
        inputs=("events",),
        sql=sql_beside(__file__, "event_totals.sql"),
        table="edinsights_event_totals_daily",
        date_column="date",
        columns=("course_id", "date", "events", "active_learners"),
        description="Events and active learners per day, per course and overall.",
    )
)
