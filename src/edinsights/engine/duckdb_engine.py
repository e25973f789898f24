"""Run metric SQL on DuckDB over the event store.

A metric's SQL sees the event store as the view `events` (and each module's side table as a
view of its name, back-filled first when missing or stale; and the current course structure as
`structure_blocks`, `structure_courses` and `structure_grading_policy`), with the session pinned to UTC and
the parameters `$date_to` (the last day computed) and, where the SQL names it, `$date_from`
(the first day whose rows are wanted; the earliest date for a full computation). Intermediates
that several metrics share are computed once per state of the store and kept as Parquet files
under `HOME/store/derived/` (see `Intermediate`).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
from duckdb import DuckDBPyConnection

from edinsights.events.extraction import Extraction, registered_extractions
from edinsights.events.store import EventStore
from edinsights.metrics.registry import Intermediate, Metric
from edinsights.structure.metrics import STRUCTURE_VIEWS
from edinsights.structure.storage import StructureStore


@dataclass
class Engine:
    """A DuckDB connection over one event store."""

    store: EventStore
    duckdb: duckdb.DuckDBPyConnection

    def execute(self, sql: str, parameters: Any = None) -> DuckDBPyConnection:
        return self.duckdb.execute(sql, parameters)


BACKFILL_LOCK_WAIT_SECONDS = 600.0
"""How long a compute waits for a running ingest or back-fill before back-filling itself."""


def connect(store: EventStore, extractions: tuple[Extraction, ...] | None = None) -> Engine:
    """A DuckDB connection with the event store's tables as views, pinned to UTC.

    `extractions` (default: the installed modules') are side tables: one whose table is missing
    or was made by other SQL is back-filled from the stored events first (under the store lock).
    """
    if extractions is None:
        extractions = registered_extractions()
    stale = [extraction for extraction in extractions if not store.side_table_current(extraction)]
    if stale and store.has_events():
        # Another process may be back-filling the same tables (two computes started at once) or
        # ingesting: wait for it, then do only what it left to do.
        with store.locked(wait=BACKFILL_LOCK_WAIT_SECONDS):
            stale = [extraction for extraction in stale if not store.side_table_current(extraction)]
            store.sync_side_tables(tuple(stale))
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    # union_by_name: files written before the `raw` column read it as NULL.
    connection.read_parquet(store.events_glob(), hive_partitioning=True, union_by_name=True).create_view(
        "events"
    )
    for extraction in extractions:
        if any((store.side_root / extraction.table).glob("*/*.parquet")):
            relation = connection.read_parquet(store.side_glob(extraction.table), hive_partitioning=True)
        else:
            relation = connection.sql(extraction.empty_query())
        relation.create_view(extraction.table)
    structure = StructureStore(store.root)
    for view, table in STRUCTURE_VIEWS.items():
        structure.relation(connection, table).create_view(view)
    return Engine(store, connection)


def event_date_range(engine: Engine) -> tuple[date, date]:
    """The first and last day with events (the store must hold some)."""
    return engine.execute("SELECT min(dt), max(dt) FROM events").fetchall()[0]


def run(
    engine: Engine, metric: Metric, date_to: date, date_from: date | None = None
) -> list[tuple[Any, ...]]:
    """The metric's rows through `date_to`; with `date_from`, SQL that names it may skip earlier days."""
    for intermediate in metric.intermediates:
        _attach(engine, intermediate, date_to)
    return engine.execute(metric.sql, _parameters(metric.sql, date_to, date_from)).fetchall()


def _parameters(sql: str, date_to: date, date_from: date | None) -> dict[str, date] | None:
    """The parameters `sql` names (DuckDB refuses any other)."""
    parameters = {"date_to": date_to, "date_from": date_from or date.min}
    return {name: value for name, value in parameters.items() if f"${name}" in sql} or None


def _attach(engine: Engine, intermediate: Intermediate, date_to: date) -> None:
    """Make `intermediate` readable under its name, computing it unless this store state has it."""
    directory = engine.store.root / "derived" / intermediate.name
    key = hashlib.sha256(f"{intermediate.sql}\n{date_to}\n{_fingerprint(engine.store)}".encode()).hexdigest()
    path = directory / f"{key[:24]}.parquet"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        temporary = directory / f".{path.name}.{os.getpid()}.tmp"
        parameters = _parameters(intermediate.sql, date_to, None)
        engine.duckdb.sql(intermediate.sql, params=parameters).write_parquet(str(temporary))
        os.replace(temporary, path)
        for stale in directory.glob("*.parquet"):
            if stale != path:
                stale.unlink(missing_ok=True)
    engine.duckdb.read_parquet(str(path)).create_view(intermediate.name, replace=True)


def _fingerprint(store: EventStore) -> str:
    """Changes whenever the store's events may have: every ingested file and when it was ingested."""
    entries = sorted(
        (url, entry.content_hash, entry.ingested_at) for url, entry in store.manifest.entries().items()
    )
    return hashlib.sha256(repr(entries).encode()).hexdigest()
