"""Tracking-log lines → log files → an event store, and reading the store back."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb

from edinsights.events.ingest import IngestSummary, ingest
from edinsights.events.store import EventStore


def write_log(path: Path, lines: list[str], *, compress: bool | None = None) -> Path:
    """Write lines as a log file; gzip when the name ends in .gz (or `compress` says so)."""
    data = ("\n".join(lines) + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    if compress or (compress is None and path.name.endswith(".gz")):
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def run_ingest(store: EventStore, *paths: Path | str, workers: int | None = 1) -> IngestSummary:
    """Ingest `paths` into `store` (one worker by default: quick to start, deterministic)."""
    return ingest([str(path) for path in paths], store, workers=workers)


def stored_events(store: EventStore, where: str = "true") -> list[dict]:
    """All stored events as dicts (with `dt`), ordered by source file and line."""
    if not list(store.events_dir.glob("*/*.parquet")):
        return []
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    relation = connection.sql(
        f"SELECT * FROM read_parquet('{store.events_glob()}', hive_partitioning = true)"
        f" WHERE {where} ORDER BY source_file, source_line"
    )
    columns = relation.columns
    return [dict(zip(columns, row, strict=True)) for row in relation.fetchall()]


def quarantined(store: EventStore) -> list[dict]:
    """The quarantined lines as dicts, ordered by source file and line number."""
    if not list(store.quarantine_dir.glob("*.parquet")):
        return []
    relation = duckdb.sql(
        f"SELECT * FROM read_parquet('{store.quarantine_glob()}') ORDER BY source_file, line_no"
    )
    assert relation is not None  # a SELECT always has a result
    return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


def event_line(**fields: object) -> str:
    """A minimal valid server event, with `fields` overriding or adding keys."""
    event: dict[str, object] = {
        "username": "learner",
        "event_source": "server",
        "event_type": "edx.test.event",
        "time": "2024-01-04T09:01:10.123456+00:00",
        "context": {"course_id": "course-v1:edX+DemoX+2024", "user_id": 5, "org_id": "edX", "path": "/x"},
        "event": {},
        "host": "lms.example.com",
        "ip": "203.0.113.7",
        "agent": "Mozilla/5.0",
        "page": None,
        "session": "0123456789abcdef",
    }
    event.update(fields)
    return json.dumps(event)
