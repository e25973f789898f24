"""Daily event totals: edinsights' own health view of what it ingests."""

from __future__ import annotations

from edinsights.metrics.registry import Metric, sql_beside

EVENT_TOTALS = Metric(
    name="event_totals",
    inputs=("events",),
    sql=sql_beside(__file__, "event_totals.sql"),
    table="edinsights_event_totals_daily",
    date_column="date",
    description="Events and active learners per day, per course and overall.",
)
