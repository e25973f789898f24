"""Module-owned extraction: the event fields a module needs, in a side table it owns.

A module declares an `Extraction`: a small SQL projection over the stored events (DuckDB's
dialect) that selects `event_id` and the module's columns. Ingest writes its output into a side
table under the store, one Parquet file per events file, so a module never edits the core
normaliser or changes the store's format. A side table that is missing, or was made by other
SQL, is back-filled from the stored events (`raw`, `payload` and the typed columns), without the
raw logs. docs/event-store.md ("Side tables") is the reference.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from edinsights.events.schema import EVENTS_COLUMNS

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# Names the engine already gives a view, or a side table's key and partition column.
RESERVED_TABLES = frozenset({"events", "quarantine", "candidates", "extracted"})
RESERVED_COLUMNS = frozenset({"event_id", "dt"})
EVENT_COLUMN_NAMES = tuple(column.name for column in EVENTS_COLUMNS)


class ExtractionError(ValueError):
    """An extraction is declared wrongly, or two modules declare the same side table."""


@dataclass(frozen=True)
class Extraction:
    """What a module extracts from each event into its side table `table`, keyed by `event_id`.

    `sql` selects `event_id` and every name of `columns` FROM `events`: a relation with the
    events table's columns (docs/event-store.md, `raw` and `payload` included; not `dt`), holding
    only the events of `event_types` (when given) that pass `where` (when given). Each output
    column is cast to its declared DuckDB type.
    """

    module: str
    table: str
    columns: Mapping[str, str]
    sql: str
    event_types: tuple[str, ...] = ()
    where: str | None = None
    fingerprint: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        if not IDENTIFIER.match(self.table) or self.table in RESERVED_TABLES:
            raise ExtractionError(
                f"module {self.module!r}: side table name {self.table!r} must be lower-case letters, "
                f"digits and _ (starting with a letter), and not one of {sorted(RESERVED_TABLES)}"
            )
        if not self.columns:
            raise ExtractionError(f"module {self.module!r}: extraction {self.table!r} declares no columns")
        for name in self.columns:
            if not IDENTIFIER.match(name) or name in RESERVED_COLUMNS:
                raise ExtractionError(
                    f"module {self.module!r}: column {name!r} of {self.table!r} must be a lower-case "
                    f"identifier other than {sorted(RESERVED_COLUMNS)}"
                )
        object.__setattr__(self, "columns", dict(self.columns))
        object.__setattr__(self, "event_types", tuple(self.event_types))
        declared = json.dumps(
            [self.table, list(self.columns.items()), self.sql, list(self.event_types), self.where]
        )
        object.__setattr__(self, "fingerprint", hashlib.sha256(declared.encode()).hexdigest()[:20])

    def __hash__(self) -> int:
        # `columns` is a dict; the fingerprint covers every declared field.
        return hash((self.module, self.fingerprint))

    def query(self, events_relation: str) -> str:
        """The side rows of the events in `events_relation` (a SQL table expression)."""
        filters = []
        if self.event_types:
            filters.append("event_type IN (" + ", ".join(_literal(t) for t in self.event_types) + ")")
        if self.where:
            filters.append(f"({self.where})")
        where = f" WHERE {' AND '.join(filters)}" if filters else ""
        casts = ", ".join(
            f"CAST({_quoted(name)} AS {kind}) AS {_quoted(name)}" for name, kind in self.columns.items()
        )
        return (
            f"WITH events AS (SELECT * FROM {events_relation}{where})\n"
            f"SELECT CAST(event_id AS UBIGINT) AS event_id, {casts}\n"
            f"FROM (\n{self.sql}\n) AS extracted"
        )

    def empty_query(self) -> str:
        """No rows, with the side table's columns (a store without events yet)."""
        casts = ", ".join(f"NULL::{kind} AS {_quoted(name)}" for name, kind in self.columns.items())
        return f"SELECT NULL::UBIGINT AS event_id, {casts}, NULL::DATE AS dt WHERE false"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def check_unique(extractions: tuple[Extraction, ...]) -> tuple[Extraction, ...]:
    """Refuse two extractions writing the same side table (naming both modules)."""
    owners: dict[str, str] = {}
    for extraction in extractions:
        if extraction.table in owners:
            raise ExtractionError(
                f"side table {extraction.table!r} is declared by modules {owners[extraction.table]!r} "
                f"and {extraction.module!r}"
            )
        owners[extraction.table] = extraction.module
    return extractions


def registered_extractions() -> tuple[Extraction, ...]:
    """The extractions of every installed analytics module (none before edinsights.modules)."""
    try:
        from edinsights.modules import modules  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return ()
    found: list[Extraction] = []
    for module in modules():
        found.extend(getattr(module, "extractions", ()))
    return check_unique(tuple(found))
