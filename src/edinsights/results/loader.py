"""Publish a metric's rows into the result store, atomically and fast.

A publication replaces the rows of one scope (the whole table, or some courses and dates) in a
single transaction: readers see either the previous results or the new ones, never a mix, and a
failed or killed load leaves the previous results in place. Rows go in with PostgreSQL's COPY,
with LOAD DATA LOCAL INFILE on MySQL/MariaDB (from a CSV file that a helper thread writes while
the server deletes the old rows), and with batched parameterised INSERTs on SQLite and on a
MySQL server or client without LOCAL INFILE. No SQL is built from data: values are parameters
or travel in the data file.
"""

from __future__ import annotations

import csv
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import islice
from types import TracebackType
from typing import Any

from django.db import DataError, IntegrityError, connections, models, transaction
from django.utils import timezone

from edinsights.results.models import MetricRun

BATCH_ROWS = 5_000
FILE_CHUNK_ROWS = 20_000
"""Rows the LOAD DATA file writer takes at a time (it stops between chunks when the load fails)."""


@dataclass(frozen=True)
class Scope:
    """Which existing rows a publication replaces. Empty: the whole table."""

    course_ids: Sequence[str] | None = None
    date_field: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    """Inclusive bounds on `date_field`."""

    def filter(self, queryset: models.QuerySet) -> models.QuerySet:
        if self.course_ids is not None:
            queryset = queryset.filter(course_id__in=list(self.course_ids))
        if self.date_field and self.date_from is not None:
            queryset = queryset.filter(**{f"{self.date_field}__gte": self.date_from})
        if self.date_field and self.date_to is not None:
            queryset = queryset.filter(**{f"{self.date_field}__lte": self.date_to})
        return queryset


def publish(
    metric: str,
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    scope: Scope = Scope(),
    using: str = "default",
    computed_through: date | None = None,
) -> int:
    """Replace `scope` of `model`'s table with `rows` (tuples in `columns` order); return the count.

    `created` is filled in for every row; the run is recorded in MetricRun in the same
    transaction, so "data last updated" moves exactly when the data does, with the last day
    the metric was computed through (`computed_through`) and the first day it republished.
    On MySQL `rows` may be iterated on a helper thread.
    """
    started = timezone.now()
    table = model._meta.db_table
    connection = connections[using]

    def replace(insert: Callable[[], int]) -> int:
        with transaction.atomic(using=using):
            scope.filter(model._default_manager.using(using).all())._raw_delete(using)
            count = insert()
            MetricRun.objects.using(using).create(
                metric=metric,
                table=table,
                started=started,
                finished=timezone.now(),
                rows=count,
                date_from=scope.date_from,
                date_to=computed_through or scope.date_to,
            )
        return count

    if connection.vendor == "mysql" and _can_load_data_local(connection):
        # The file is written on a helper thread while the server deletes the old rows.
        with _DataFile(rows) as data_file:
            return replace(lambda: _load_data_file(connection, table, columns, data_file, started))
    return replace(
        lambda: _insert(connection, table, [*columns, "created"], ((*row, started) for row in rows))
    )


def _insert(connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:  # type: ignore[no-untyped-def]
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(column) for column in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {quote(table)} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        statement = f"INSERT INTO {quote(table)} ({column_list}) VALUES ({', '.join(['%s'] * len(columns))})"
        iterator = iter(rows)
        while batch := list(islice(iterator, BATCH_ROWS)):
            cursor.executemany(statement, [_db_values(row, connection) for row in batch])
            count += len(batch)
    return count


def _db_values(row: Sequence[Any], connection) -> Sequence[Any]:  # type: ignore[no-untyped-def]
    """MySQL and SQLite store naive UTC datetimes (Django's USE_TZ convention)."""
    if connection.vendor == "postgresql":
        return row
    return [_naive_utc(value) if isinstance(value, datetime) else value for value in row]


def _can_load_data_local(connection: Any) -> bool:
    """Whether both ends allow LOAD DATA LOCAL INFILE (database_settings turns it on in PyMySQL)."""
    connection.ensure_connection()
    if not getattr(connection.connection, "client_flag", 0) & _CLIENT_LOCAL_FILES:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT @@local_infile")
        return bool(cursor.fetchone()[0])


_CLIENT_LOCAL_FILES = 128
"""The MySQL protocol's CLIENT_LOCAL_FILES capability flag."""


class _Null:
    """SQL NULL in the data file: csv writes "numbers" bare, and LOAD DATA reads a bare NULL as NULL.

    Strings are always quoted, so the string "NULL" stays a string. (__index__ is never called:
    its presence alone makes the csv module treat the value as a number.)
    """

    __slots__ = ()

    def __index__(self) -> int:
        raise TypeError("NULL is not a number")

    def __str__(self) -> str:
        return "NULL"


_NULL = _Null()
_AS_IS = frozenset((str, int, float, Decimal, date))
"""Types the csv module writes (str(), repr() for floats) as MySQL reads them back."""


def _file_value(value: Any) -> Any:
    if value is None:
        return _NULL
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return _naive_utc(value)
    if isinstance(value, float):  # a subclass's repr() may not be a plain number
        return float(value)
    return value


def _naive_utc(value: datetime) -> datetime:
    """MySQL and SQLite store naive UTC datetimes (Django's USE_TZ convention)."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _write_data_file(rows: Iterable[Sequence[Any]], path: str, cancelled: threading.Event) -> int:
    """Write `rows` as CSV for LOAD DATA (strings quoted, quotes doubled, nothing escaped).

    Deliberately NOT through edinsights.csv_safety: this file is a transport into MySQL, read by
    no spreadsheet, and must stay byte-exact (a `'` before `=...` would be stored in the results).
    """
    count = 0
    iterator = iter(rows)
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        while not cancelled.is_set() and (chunk := list(islice(iterator, FILE_CHUNK_ROWS))):
            writer.writerows([v if type(v) in _AS_IS else _file_value(v) for v in row] for row in chunk)
            count += len(chunk)
    return count


class _DataFile:
    """`rows` written to a temporary CSV file by a helper thread, started on creation."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self._directory = tempfile.TemporaryDirectory(prefix="edinsights-load-")
        self.path = os.path.join(self._directory.name, "rows.csv")
        self._cancelled = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="edinsights-load")
        self._written = self._pool.submit(_write_data_file, rows, self.path, self._cancelled)

    def rows(self) -> int:
        """Wait for the file; return its number of rows (re-raises the writer's error)."""
        return self._written.result()

    def __enter__(self) -> _DataFile:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._cancelled.set()
        self._pool.shutdown(wait=True)
        self._directory.cleanup()


def _load_data_file(
    connection: Any, table: str, columns: Sequence[str], data_file: _DataFile, created: datetime
) -> int:
    """LOAD DATA LOCAL INFILE, with `created` set for every row; fail on any skipped or mangled value.

    With LOCAL the server turns data errors (a NULL in a NOT NULL column, a duplicate key) into
    warnings and goes on, so warnings and the row count are checked: the transaction then rolls
    back like a failed INSERT would.
    """
    expected = data_file.rows()
    if not expected:
        return 0
    quote = connection.ops.quote_name
    statement = (
        f"LOAD DATA LOCAL INFILE %s INTO TABLE {quote(table)} CHARACTER SET utf8mb4"
        " FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY ''"
        " LINES TERMINATED BY '\\n'"
        f" ({', '.join(quote(column) for column in columns)}) SET {quote('created')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [data_file.path, _naive_utc(created)])
        loaded = cursor.rowcount
        cursor.execute("SHOW WARNINGS")
        warnings = [(level, code, message) for level, code, message in cursor.fetchall() if level != "Note"]
    if warnings or loaded != expected:
        detail = "; ".join(message for _, _, message in warnings[:3]) or f"{loaded:,} of {expected:,} rows"
        error = IntegrityError if any(code == _ER_DUP_ENTRY for _, code, _ in warnings) else DataError
        raise error(f"LOAD DATA into {table}: {detail}")
    return loaded


_ER_DUP_ENTRY = 1062


def last_updated(metric: str, using: str = "default") -> datetime | None:
    run = MetricRun.objects.using(using).filter(metric=metric).order_by("-finished").first()
    return run.finished if run else None
