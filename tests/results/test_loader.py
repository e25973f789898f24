"""The loader on SQLite, MariaDB and PostgreSQL: replace by scope, atomically, with bookkeeping."""

from __future__ import annotations

import tempfile
import threading
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

COLUMNS = ("course_id", "date", "count", "cumulative_count")


def rows(course: str, first: date, days: int, base: int = 0) -> list[tuple]:
    return [(course, first + timedelta(days=i), base + i, base + 10 * i) for i in range(days)]


def table(alias: str) -> list[tuple]:
    from edinsights.families.enrollment.models import CourseEnrollmentDaily

    return list(
        CourseEnrollmentDaily.objects.using(alias)
        .order_by("course_id", "date")
        .values_list("course_id", "date", "count", "cumulative_count")
    )


def test_publish_replaces_only_its_scope(result_db: str) -> None:
    from edinsights.families.enrollment.models import CourseEnrollmentDaily
    from edinsights.results.loader import Scope, publish

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

    from edinsights.families.enrollment.models import CourseEnrollmentDaily
    from edinsights.results.loader import publish

    start = date(2024, 2, 1)
    publish("enrollment", CourseEnrollmentDaily, COLUMNS, rows("A", start, 3), using=result_db)
    before = table(result_db)
    bad = [*rows("A", start, 3, base=50), ("A", start + timedelta(days=9), None, 1)]  # count is NOT NULL
    with pytest.raises((Error, Exception)):
        publish("enrollment", CourseEnrollmentDaily, COLUMNS, bad, using=result_db)
    assert table(result_db) == before


def test_created_and_last_updated(result_db: str) -> None:
    from edinsights.families.enrollment.models import CourseEnrollmentDaily
    from edinsights.results.loader import last_updated, publish

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

    from edinsights.families.enrollment.models import CourseEnrollmentDaily
    from edinsights.results.loader import publish

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
    from edinsights.families.activity.models import CourseActivity
    from edinsights.results.loader import publish

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


# Values that break naive CSV/TSV handling or escaping; each gets a distinct course id prefix so
# MySQL's case- and accent-insensitive collation never sees two equal keys.
TRICKY = [
    "plain",
    "comma, inside",
    'double "quotes" and ""doubled""',
    '"',
    '","',
    "'single' quotes",
    "back\\slash",
    "trailing backslash\\",
    "\\N",
    "\\n literally \\t",
    "\\\\",
    "tab\there",
    "new\nline",
    "crlf\r\nline",
    "carriage\rreturn",
    'quote then newline "\n" then comma ","',
    "NULL",
    "",
    "  spaces around  ",
    "accents éàü, ß",
    "中文课程",
    "emoji 🎓 four bytes",
    "course-v1:Org+C1+2024",
]


def summary_rows(values: list[str | None]) -> list[tuple]:
    """course_meta_summary_enrollment rows: tricky text, NULLs, datetimes (aware and naive), ints."""
    rows = []
    for index, value in enumerate(values):
        start = datetime(2024, 2, 29, 23, 59, 58, 123456, tzinfo=UTC) + timedelta(hours=index)
        rows.append(
            (
                f"{index:03}:{value}",
                value,  # catalog_course_title (nullable)
                None if index % 3 == 0 else value,  # catalog_course (nullable)
                start if index % 2 else start.astimezone(timezone(timedelta(hours=5, minutes=30))),
                None if index % 4 == 0 else start.replace(tzinfo=None) + timedelta(days=90),  # naive = UTC
                "self_paced",
                None,
                "verified" if index % 2 else "audit",
                -index,
                2**31 - 1 - index,
                0,
                None if index % 5 == 0 else index,
            )
        )
    return rows


SUMMARY_COLUMNS = (
    "course_id",
    "catalog_course_title",
    "catalog_course",
    "start_time",
    "end_time",
    "pacing_type",
    "availability",
    "enrollment_mode",
    "count",
    "cumulative_count",
    "count_change_7_days",
    "passing_users",
)


def as_stored(row: tuple) -> tuple:
    """What the result store gives back: aware datetimes in UTC (naive ones were UTC)."""
    return tuple(
        (value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC))
        if isinstance(value, datetime)
        else value
        for value in row
    )


@pytest.fixture(params=["load_data", "insert"])
def mysql_path(request: pytest.FixtureRequest, result_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """MySQL loads with LOAD DATA LOCAL INFILE, or with batched INSERTs when either end refuses it."""
    from django.db import connections

    from edinsights.results import loader

    connection = connections[result_db]
    if connection.vendor != "mysql":
        return request.param  # one path only (COPY or INSERTs): both parameters run it
    if request.param == "load_data":
        assert loader._can_load_data_local(connection), "the test server must allow LOCAL INFILE"
    else:
        monkeypatch.setattr(loader, "_can_load_data_local", lambda connection: False)
    return request.param


def test_tricky_values_round_trip_exactly(
    result_db: str, mysql_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment
    from edinsights.results import loader
    from edinsights.results.loader import publish

    monkeypatch.setattr(loader, "FILE_CHUNK_ROWS", 7)  # several chunks in the LOAD DATA file
    monkeypatch.setattr(loader, "BATCH_ROWS", 7)
    rows = summary_rows([*TRICKY, None])
    count = publish("summary", CourseMetaSummaryEnrollment, SUMMARY_COLUMNS, rows, using=result_db)
    assert count == len(rows)
    stored = CourseMetaSummaryEnrollment.objects.using(result_db).values_list(*SUMMARY_COLUMNS)
    by_course = {row[0]: row for row in stored}
    assert len(by_course) == len(rows)
    for row in rows:
        assert by_course[row[0]] == as_stored(row)


def test_dates_and_big_numbers_round_trip(result_db: str, mysql_path: str) -> None:
    from edinsights.families.totals.models import EventTotalsDaily
    from edinsights.results.loader import publish

    days = [date(1970, 1, 1), date(2000, 2, 29), date(2024, 12, 31), date(9999, 12, 31)]
    rows = [
        (None if index == 0 else f'course {index}, "{value}"\t\\', day, 2**62 + index, index)
        for index, (day, value) in enumerate(zip(days, TRICKY, strict=False))
    ]
    columns = ("course_id", "date", "events", "active_learners")
    publish("totals", EventTotalsDaily, columns, rows, using=result_db)
    stored = EventTotalsDaily.objects.using(result_db).order_by("date").values_list(*columns)
    assert list(stored) == rows


def test_an_aborted_publication_keeps_the_old_rows_and_records_nothing(
    result_db: str, mysql_path: str
) -> None:
    from edinsights.families.enrollment.models import CourseEnrollmentDaily
    from edinsights.results.loader import publish
    from edinsights.results.models import MetricRun

    start = date(2023, 5, 1)
    publish("aborted", CourseEnrollmentDaily, COLUMNS, rows("A", start, 4), using=result_db)
    before = table(result_db)
    runs = MetricRun.objects.using(result_db).filter(metric="aborted").count()

    def failing_rows():  # type: ignore[no-untyped-def]
        yield from rows("A", start, 2, base=70)
        raise RuntimeError("the metric query died")

    with pytest.raises(RuntimeError, match="died"):
        publish("aborted", CourseEnrollmentDaily, COLUMNS, failing_rows(), using=result_db)
    duplicate = [*rows("A", start, 3, base=80), ("A", start, 1, 1)]
    with pytest.raises(Exception, match=r"(?i)duplicate|unique"):
        publish("aborted", CourseEnrollmentDaily, COLUMNS, duplicate, using=result_db)
    null_count = [*rows("A", start, 3, base=90), ("A", start + timedelta(days=5), None, 1)]
    with pytest.raises(Exception, match=r"(?i)null"):
        publish("aborted", CourseEnrollmentDaily, COLUMNS, null_count, using=result_db)

    assert table(result_db) == before
    assert MetricRun.objects.using(result_db).filter(metric="aborted").count() == runs

    # Publishing nothing empties the scope, and is recorded.
    assert publish("aborted", CourseEnrollmentDaily, COLUMNS, [], using=result_db) == 0
    assert table(result_db) == []
    assert MetricRun.objects.using(result_db).filter(metric="aborted").count() == runs + 1


def test_the_load_data_file_format() -> None:
    """Strings quoted with quotes doubled, nothing escaped; NULL bare; booleans as 0/1; UTC datetimes."""
    from edinsights.results.loader import _write_data_file

    values = ('a,"b"\\\n', None, "NULL", "", True, False, 3, 1.5, date(2024, 1, 2))
    aware = datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=-5)))

    def written(path: Path) -> str:
        with open(path, encoding="utf-8", newline="") as file:
            return file.read()

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "rows.csv"
        assert _write_data_file([values, (aware, "é")], str(path), threading.Event()) == 2
        assert written(path) == (
            '"a,""b""\\\n",NULL,"NULL","",1,0,3,1.5,"2024-01-02"\n"2024-01-02 08:04:05.000006","é"\n'
        )
