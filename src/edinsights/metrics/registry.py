"""The metric registry: every metric, built-in or from a plug-in, is declared once by its module.

A metric reads event-store tables (as views of the same name), runs SQL in DuckDB's dialect
with the parameter `$date_to` (the last day of the computed range), and yields rows in the
column order of its result table. The SQL uses no JSON functions (payload fields were extracted
at ingest), so that other engines can run it after translation; the one exception, a scalar
path into older problem events' payload, is explained in docs/architecture.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Intermediate:
    """A relation several metrics read, computed once per state of the event store.

    `sql` (parameter `$date_to` only) is run when a metric needs it and the store changed since
    it was last computed; the result is kept as Parquet under HOME/store/derived/<name>/ and read
    by the metrics' SQL under `name`, so metrics run as separate tasks still share the work.
    """

    name: str
    sql: str


@dataclass(frozen=True)
class Metric:
    name: str
    inputs: tuple[str, ...]
    """The relations the SQL reads: `events`, side tables, the structure views
    (`structure_blocks`, `structure_courses`, `structure_grading_policy`). The pipeline makes the
    metric stale when one of them changes: an ingest for all but the structure views, a
    structure import for those."""
    sql: str
    table: str
    """Result-store table name: one of the module's result models has it as `db_table`."""
    description: str
    columns: tuple[str, ...] = ()
    """The columns the SQL yields, in order. Leave it empty: they are then the result model's
    fields in declaration order, but `id` and `created` (`result_columns()`), so that the model
    is the one place a table's columns are written down. A module whose SQL yields another order
    declares it; the system check edinsights.E020 holds it to the model's fields."""
    date_column: str | None = None
    """The result column that dates a row (a DATE, or the TIMESTAMP that starts a week), for
    metrics whose rows depend only on the events of their own day or week: an incremental run
    republishes from the first day touched by new events. None: always the whole table (the
    enrollment metrics: a learner first seen unenrolling changes counts back to the course's
    first day)."""
    intermediates: tuple[Intermediate, ...] = ()
    """Shared relations the SQL reads (computed before it runs)."""

    def result_columns(self) -> tuple[str, ...]:
        """The columns the SQL yields, in order (Django must be set up when `columns` is empty)."""
        if self.columns:
            return self.columns
        from edinsights.results.models import model_for_table

        return model_columns(model_for_table(self.table))


PUBLISHER_COLUMNS = ("id", "created")
"""Result-model fields no metric yields: the row id, and the time the pipeline published the row."""


def model_columns(model: Any) -> tuple[str, ...]:
    """A result model's columns that its metric yields: every concrete field but PUBLISHER_COLUMNS."""
    return tuple(
        field.column for field in model._meta.concrete_fields if field.column not in PUBLISHER_COLUMNS
    )


def metrics() -> dict[str, Metric]:
    """Every installed module's metrics by name, in module order (edinsights.modules)."""
    from edinsights.modules import modules

    found: dict[str, Metric] = {}
    owners: dict[str, str] = {}
    for module in modules():
        for metric in module.metrics:
            if metric.name in found:
                first = owners[metric.name]
                raise ValueError(f"metric {metric.name!r} is in modules {first!r} and {module.name!r}")
            found[metric.name] = metric
            owners[metric.name] = module.name
    return found


def continued(sql: str) -> str:
    """A snippet that opens a WITH clause (`WITH name AS (...)`) as one continuing another."""
    return re.sub(r"^WITH ", ", ", sql, count=1, flags=re.MULTILINE)


def sql_beside(module_file: str, name: str) -> str:
    """The SQL file `name` next to a metric module."""
    return (Path(module_file).parent / name).read_text()
