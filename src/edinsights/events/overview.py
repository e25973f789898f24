"""What the event store holds, in a few numbers (for the web overview and the demo)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from edinsights.events.store import EventStore


@dataclass
class CourseOverview:
    course_id: str
    events: int
    learners: int
    first_day: date
    last_day: date


@dataclass
class StoreOverview:
    events: int = 0
    learners: int = 0
    first_day: date | None = None
    last_day: date | None = None
    files_ingested: int = 0
    last_ingested_at: str | None = None
    courses: list[CourseOverview] = field(default_factory=list)
    event_types: list[tuple[str, int]] = field(default_factory=list)


def overview(store: EventStore, top_event_types: int = 12) -> StoreOverview:
    """Totals, per course and per event type, read from the Parquet store with DuckDB."""
    import duckdb

    entries = store.manifest.entries().values()
    result = StoreOverview(
        files_ingested=len(entries),
        last_ingested_at=max((entry.ingested_at for entry in entries), default=None),
    )
    if not store.has_events():
        return result
    connection = duckdb.connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")
        connection.read_parquet(store.events_glob(), hive_partitioning=True, union_by_name=True).create_view(
            "events"
        )
        result.events, result.learners, result.first_day, result.last_day = connection.execute(
            "SELECT count(*), count(DISTINCT user_id), min(dt), max(dt) FROM events"
        ).fetchall()[0]
        result.courses = [
            CourseOverview(*row)
            for row in connection.execute(
                "SELECT course_id, count(*), count(DISTINCT user_id), min(dt), max(dt) FROM events"
                " WHERE course_id IS NOT NULL GROUP BY course_id ORDER BY count(*) DESC"
            ).fetchall()
        ]
        result.event_types = connection.execute(
            "SELECT event_type, count(*) FROM events GROUP BY event_type"
            " ORDER BY count(*) DESC, event_type LIMIT ?",
            [top_event_types],
        ).fetchall()
    finally:
        connection.close()
    return result
