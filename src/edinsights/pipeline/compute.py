"""Compute registered metrics over the event store and publish them into the result store.

Today every run recomputes each metric over the whole range and replaces its table in one
atomic publication; luigi tasks and incremental runs (only the dates and courses touched by
new events) are the next step of the pipeline issue and will call `compute_metric` per task.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

from edinsights.events.store import EventStore


class ComputeError(Exception):
    """A compute run that cannot start (no events, a bad range, an unknown metric)."""


@dataclass
class ComputeSummary:
    date_to: str | None = None
    metrics: dict[str, int] = field(default_factory=dict)
    """Rows published per metric."""
    seconds: float = 0.0


def compute(
    store: EventStore,
    *,
    only: list[str] | None = None,
    date_to: date | None = None,
    using: str = "default",
) -> ComputeSummary:
    """Compute and publish `only` these metrics (default: all) through `date_to` (default: the last day)."""
    from edinsights.engine.duckdb_engine import connect, last_event_date
    from edinsights.metrics.registry import metrics

    started = time.monotonic()
    registered = metrics()
    unknown = sorted(set(only or ()) - set(registered))
    if unknown:
        raise ComputeError(f"unknown metric(s): {', '.join(unknown)}; known: {', '.join(sorted(registered))}")
    if not list(store.events_dir.glob("*/*.parquet")):
        raise ComputeError(f"the event store in {store.root} has no events yet: run edinsights ingest first")
    connection = connect(store)
    last_day = last_event_date(connection)
    date_to = date_to or last_day
    summary = ComputeSummary(date_to=date_to.isoformat())
    for name in only or sorted(registered):
        summary.metrics[name] = compute_metric(connection, registered[name], date_to, using)
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def compute_metric(connection, metric, date_to: date, using: str = "default") -> int:  # type: ignore[no-untyped-def]
    """Run one metric and replace its result table with the rows."""
    from edinsights.engine.duckdb_engine import run
    from edinsights.results.loader import publish
    from edinsights.results.models import model_for_table

    rows = run(connection, metric, date_to)
    return publish(metric.name, model_for_table(metric.table), metric.columns, rows, using=using)
