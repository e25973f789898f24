"""The loader on SQLite, MariaDB and PostgreSQL: replace by scope, atomically, with bookkeeping."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

COLUMNS = ("course_id", "date", "count", "cumulative_count")


def rows(course: str, first: date, days: int, base: int = 0) -> list[tuple]:
    return [(course, first + timedelta(days=i), base + i, base + 10 * i) for i in range(days)]


def table(alias: str) -> list[tuple]:
    from edinsights.results.models import CourseEnrollmentDaily

    return list(
        CourseEnrollmentDaily.objects.using(alias)
        .order_by("course_id", "date")
        .values_list("course_id", "date", "count", "cumulative_count")
    )


def test_publish_replaces_only_its_scope(result_db: str) -> None:
    from edinsights.results.loader import Scope, publish
    from edinsights.results.models import CourseEnrollmentDaily

    start = date(2024, 1, 1)
    assert (
        publish("enrollment", CourseEnrollmentDaily, COLUMNS, rows("A", start, 5) + rows("B", start, 5)) == 10
    )
    assert len(table(result_db)) == 0  # published through `default`, not this alias
    publish(
        "enrollment",
        CourseEnrollmentDaily,
        COLUMNS,
        rows("A", start, 5) + rows("B", start, 5),
        using=result_db,
    )
    assert table(result_db) == rows("A", start, 5) + rows("B", start, 5)

    # Recompute course A from the 3rd: only those rows change.
    scope = Scope(course_ids=["A"], date_field="date", date_from=start + timedelta(days=2))
    publish(
        "enrollment",
        CourseEnrollmentDaily,
        COLUMNS,
        rows("A", start + timedelta(days=2), 4, base=100),
        scope=scope,
        using=result_db,
    )
    expected = rows("A", start, 2) + rows("A", start + timedelta(days=2), 4, base=100) + rows("B", start, 5)
    assert table(result_db) == expected

    # The whole table.
    publish("enrollment", CourseEnrollmentDaily, COLUMNS, rows("C", start, 2), using=result_db)
    assert table(result_db) == rows("C", start, 2)


def test_a_failed_load_leaves_the_previous_results(result_db: str) -> None:
    from django.db import Error

    from edinsights.results.loader import publish
    from edinsights.results.models import CourseEnrollmentDaily

    start = date(2024, 2, 1)
    publish("enrollment", CourseEnrollmentDaily, COLUMNS, rows("A", start, 3), using=result_db)
    before = table(result_db)
    bad = [*rows("A", start, 3, base=50), ("A", start + timedelta(days=9), None, 1)]  # count is NOT NULL
    with pytest.raises((Error, Exception)):
        publish("enrollment", CourseEnrollmentDaily, COLUMNS, bad, using=result_db)
    assert table(result_db) == before


def test_created_and_last_updated(result_db: str) -> None:
    from edinsights.results.loader import last_updated, publish
    from edinsights.results.models import CourseEnrollmentDaily

    before = datetime.now(UTC) - timedelta(seconds=1)
    publish(
        "enrollment_check", CourseEnrollmentDaily, COLUMNS, rows("Z", date(2024, 3, 1), 2), using=result_db
    )
    updated = last_updated("enrollment_check", using=result_db)
    assert updated is not None and updated >= before
    created = set(CourseEnrollmentDaily.objects.using(result_db).values_list("created", flat=True))
    assert len(created) == 1 and next(iter(created)) >= before
    assert last_updated("never_ran", using=result_db) is None


def test_readers_see_old_or_new_never_half(result_db: str) -> None:
    """While a big load runs, a reader on another connection sees the old row count."""
    from django.db import connections

    from edinsights.results.loader import publish
    from edinsights.results.models import CourseEnrollmentDaily

    start = date(2020, 1, 1)
    publish("enrollment", CourseEnrollmentDaily, COLUMNS, rows("A", start, 100), using=result_db)
    seen: list[int] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                seen.append(CourseEnrollmentDaily.objects.using(result_db).count())
        finally:
            connections[result_db].close()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        publish("enrollment", CourseEnrollmentDaily, COLUMNS, rows("A", start, 3000), using=result_db)
    finally:
        stop.set()
        thread.join()
    assert seen and set(seen) <= {100, 3000}


def test_week_intervals_round_trip(result_db: str) -> None:
    """course_activity's UTC week boundaries (naive from DuckDB) come back as the same instants."""
    from edinsights.results.loader import publish
    from edinsights.results.models import CourseActivity

    monday = datetime(2024, 1, 1)
    rows = [("A", monday, monday + timedelta(days=7), "ACTIVE", 3)]
    publish(
        "course_activity",
        CourseActivity,
        ("course_id", "interval_start", "interval_end", "label", "count"),
        rows,
        using=result_db,
    )
    [stored] = CourseActivity.objects.using(result_db).values_list("interval_start", "interval_end", "count")
    assert stored == (monday.replace(tzinfo=UTC), (monday + timedelta(days=7)).replace(tzinfo=UTC), 3)
