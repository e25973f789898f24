"""Compute registered metrics over the event store and publish them into the result store.

Each metric is run by DuckDB over the whole event store and published in one atomic
transaction. Metrics whose rows depend only on their own day or week (`date_column`) replace
only the rows from the first day that changed; the others replace their whole table. The luigi
tasks (`pipeline.tasks`) call `compute` once per metric.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from edinsights.events.store import EventStore

if TYPE_CHECKING:  # imported where used: the CLI loads this module before it needs DuckDB
    from edinsights.engine.duckdb_engine import Engine
    from edinsights.metrics.registry import Metric


class ComputeError(Exception):
    """A compute run that cannot start (no events, a bad range, an unknown metric)."""


@dataclass
class ComputeSummary:
    date_to: str | None = None
    metrics: dict[str, int] = field(default_factory=dict)
    """Rows published per metric."""
    metric_seconds: dict[str, float] = field(default_factory=dict)
    """Seconds per metric (query and publication)."""
    seconds: float = 0.0


@contextmanager
def recorded_run() -> Iterator[None]:
    """Record a whole compute run (ComputeRun): started now, finished only if the block ends well.

    Each metric is published in its own transaction, so a run killed or failed in between stays
    unfinished, and the dashboard says that its tables are of two runs until a run finishes.
    """
    from edinsights.results.models import ComputeRun

    run = ComputeRun.objects.create(started=datetime.now(UTC))
    yield
    run.finished = datetime.now(UTC)
    run.save(update_fields=["finished"])


def compute(
    store: EventStore,
    *,
    only: list[str] | None = None,
    date_to: date | None = None,
    date_from: date | None = None,
    using: str = "default",
    full: bool = False,
) -> ComputeSummary:
    """Compute and publish `only` these metrics (default: all) through `date_to` (default: the last day).

    Incremental unless `full`: each metric republishes only the rows from the first day that
    new events (or a longer range) can change; the results equal a full recompute (tested).
    `date_from` forces the rows from that day on to be recomputed even when nothing changed.
    """
    from edinsights.engine.duckdb_engine import connect, event_date_range
    from edinsights.metrics.registry import metrics

    started = time.monotonic()
    registered = metrics()
    names = selected_metrics(registered, only)
    require_events(store)
    connection = connect(store)
    first_day, last_day = event_date_range(connection)
    date_to = date_to or last_day
    check_range(date_from, date_to)
    if date_to < first_day:
        raise ComputeError(f"--to {date_to} is before the first day with events ({first_day})")
    summary = ComputeSummary(date_to=date_to.isoformat())
    for name in names:
        metric = registered[name]
        first = None if full else _first_changed_day(connection, store, metric, date_to, using)
        if first is not None and date_from is not None:
            first = min(first, date_from)
        metric_started = time.monotonic()
        summary.metrics[name] = compute_metric(connection, metric, date_to, using, first)
        summary.metric_seconds[name] = round(time.monotonic() - metric_started, 3)
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def selected_metrics(registered: Mapping[str, object], only: list[str] | None) -> list[str]:
    """The metric names to compute, sorted: `only` these (checked) or all registered."""
    unknown = sorted(set(only or ()) - set(registered))
    if unknown:
        raise ComputeError(f"unknown metric(s): {', '.join(unknown)}; known: {', '.join(sorted(registered))}")
    return sorted(only or registered)


def check_range(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise ComputeError(f"bad date range: --from {date_from} is after --to {date_to}")


def require_events(store: EventStore) -> None:
    from edinsights.events.store import StoreIncompatibleError

    if not store.has_events():
        raise ComputeError(f"the event store in {store.root} has no events yet: run edinsights ingest first")
    try:
        store.check_format()
    except StoreIncompatibleError as error:
        raise ComputeError(str(error)) from error


def _first_changed_day(connection, store: EventStore, metric, date_to: date, using: str) -> date | None:  # type: ignore[no-untyped-def]
    """The first day whose rows may differ from the metric's last publication (None: all).

    That is the earliest date of the events ingested since then, or the day after the last
    publication's range when the range grew. A metric without a date column, a first
    publication, or a shorter range than last time means a full recompute.
    """
    from edinsights.results.models import MetricRun

    if metric.date_column is None:
        return None
    last = MetricRun.objects.using(using).filter(metric=metric.name).order_by("-finished").first()
    if last is None or last.date_to is None or last.date_to > date_to:
        return None
    since = last.started.astimezone(UTC).isoformat(timespec="microseconds")
    new_files = [url for url, entry in store.manifest.entries().items() if entry.ingested_at >= since]
    first = last.date_to + timedelta(days=1)
    if new_files:
        placeholders = ", ".join("?" for _ in new_files)
        changed = connection.execute(
            f"SELECT min(dt) FROM events WHERE source_file IN ({placeholders})", new_files
        ).fetchall()[0][0]
        if changed is not None:
            first = min(first, changed)
    return first


def compute_metric(
    connection: Engine, metric: Metric, date_to: date, using: str = "default", date_from: date | None = None
) -> int:
    """Run one metric and replace its rows from `date_from` on (None: the whole table)."""
    from edinsights.engine.duckdb_engine import run
    from edinsights.results.loader import Scope, publish
    from edinsights.results.models import model_for_table

    scope = Scope()
    if date_from is None:
        rows = run(connection, metric, date_to)
    else:
        index = metric.result_columns().index(metric.date_column)
        if metric.date_column == "interval_start":  # weeks: from the Monday of date_from's week
            date_from -= timedelta(days=date_from.weekday())
            monday = datetime.combine(date_from, datetime.min.time())
            start: date = monday
            scope = Scope(date_field=metric.date_column, date_from=monday.replace(tzinfo=UTC))
        else:
            start = date_from
            scope = Scope(date_field=metric.date_column, date_from=date_from)
        # The SQL skips earlier days where it can ($date_from); rows before the scope stay as published.
        rows = [row for row in run(connection, metric, date_to, date_from) if row[index] >= start]
    return publish(
        metric.name,
        model_for_table(metric.table),
        metric.result_columns(),
        rows,
        scope=scope,
        using=using,
        computed_through=date_to,
    )
