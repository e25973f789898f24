"""Publish a metric's rows into the result store, atomically and fast.

A publication replaces the rows of one scope (the whole table, or some courses and dates) in a
single transaction: readers see either the previous results or the new ones, never a mix, and a
failed or killed load leaves the previous results in place. Rows go in with PostgreSQL's COPY,
and with batched parameterised INSERTs on MySQL/MariaDB (PyMySQL folds them into multi-row
statements) and SQLite. No SQL is built from data: values are always parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any

from django.db import connections, models, transaction
from django.utils import timezone

from edinsights.results.models import MetricRun

BATCH_ROWS = 5_000


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
    """
    started = timezone.now()
    table = model._meta.db_table
    all_columns = [*columns, "created"]
    connection = connections[using]
    with transaction.atomic(using=using):
        scope.filter(model.objects.using(using).all())._raw_delete(using)
        count = _insert(connection, table, all_columns, ((*row, started) for row in rows))
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
    return [
        value.astimezone(UTC).replace(tzinfo=None) if isinstance(value, datetime) and value.tzinfo else value
        for value in row
    ]


def last_updated(metric: str, using: str = "default") -> datetime | None:
    run = MetricRun.objects.using(using).filter(metric=metric).order_by("-finished").first()
    return run.finished if run else None
