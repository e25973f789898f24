"""Run metric SQL on DuckDB over the event store."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from edinsights.events.store import EventStore
from edinsights.metrics.registry import Metric


def connect(store: EventStore) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the event store's tables as views, pinned to UTC."""
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    connection.read_parquet(store.events_glob(), hive_partitioning=True).create_view("events")
    return connection


def event_date_range(connection: duckdb.DuckDBPyConnection) -> tuple[date, date]:
    """The first and last day with events (the store must hold some)."""
    return connection.execute("SELECT min(dt), max(dt) FROM events").fetchall()[0]


def run(connection: duckdb.DuckDBPyConnection, metric: Metric, date_to: date) -> list[tuple[Any, ...]]:
    return connection.execute(metric.sql, {"date_to": date_to}).fetchall()
