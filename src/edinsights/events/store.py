"""The event store on disk: Parquet datasets under HOME/store, and how a run is committed.

Layout:
    store/events/dt=YYYY-MM-DD/part-<run>-<file>.parquet   normalised events, by UTC date
    store/quarantine/<source key>.parquet                   rejected lines of one source file
    store/manifest.sqlite3                                  ingested files (see manifest.py)
    store/side/<table>/dt=YYYY-MM-DD/part-<run>-<file>.parquet  a module's side table: one file
                                                            per events file (extraction.py)
    store/_staging/<run>/                                   a run's output before it commits

A run writes everything under _staging first. Committing notes the run as pending in the
manifest, moves each staged file into place with an atomic rename (dropping events the store
already holds), and then records the run's files and clears the pending note in one
transaction. A reader globbing events/ therefore only ever sees whole files. When a run is
killed, the next run (under the store lock) deletes its staging and, if it died while
committing, the files it had moved: the store is back to what the manifest says, and the
files the dead run had not recorded are simply ingested again.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from edinsights.events.manifest import Manifest

if TYPE_CHECKING:
    from edinsights.events.extraction import Extraction
    from edinsights.events.worker import FileResult

# DuckDB and pyarrow are imported where a commit needs them: a run that finds every file
# unchanged then starts and ends in a fraction of a second.


class StoreLockedError(Exception):
    """Another ingest run holds the store."""


class StoreIncompatibleError(Exception):
    """The store was written in an older format, or with event ids this DuckDB computes differently."""


STORE_FORMAT = 2
"""The events table's layout; bumped when columns change type (2: problem parts and tags as lists).

Not bumped when a release fills columns for more events (course ids from every payload, the
events of other formats): an older store's rows keep their meaning, they only lack those values."""


@dataclass
class CommitCounts:
    events_stored: int
    duplicates_skipped: int


class EventStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.events_dir = root / "events"
        self.quarantine_dir = root / "quarantine"
        self.staging_root = root / "_staging"
        self.side_root = root / "side"
        self.manifest = Manifest(root / "manifest.sqlite3")

    def events_glob(self) -> str:
        return str(self.events_dir / "*" / "*.parquet")

    def has_events(self) -> bool:
        return any(self.events_dir.glob("*/*.parquet"))

    def quarantine_glob(self) -> str:
        return str(self.quarantine_dir / "*.parquet")

    @contextmanager
    def locked(self, wait: float = 0.0) -> Iterator[None]:
        """Hold the store for one ingest run (or one back-fill).

        A second concurrent holder fails fast, or after waiting up to `wait` seconds for the
        first to finish (a compute that must back-fill a side table waits for a running one).
        """
        self.root.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + wait
        with open(self.root / ".lock", "w") as lock_file:
            while True:
                try:
                    fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError as error:
                    if time.monotonic() >= deadline:
                        raise StoreLockedError(
                            f"another ingest is running on {self.root}"
                            + (f" (or a back-fill: waited {wait:g} s)" if wait else "")
                        ) from error
                    time.sleep(0.1)
            self._recover()
            yield

    def check_format(self) -> None:
        """Refuse a store whose files have other columns than this release writes and reads."""
        path = self.root / "identity.json"
        recorded = json.loads(path.read_text()).get("format", 1) if path.exists() else STORE_FORMAT
        if recorded != STORE_FORMAT:
            raise StoreIncompatibleError(
                f"the event store in {self.root} has format {recorded}, this edinsights reads format "
                f"{STORE_FORMAT}: ingest the logs again into a new store (move {self.root} away)"
            )

    def check_identity(self) -> None:
        """Refuse to mix event ids from two different `hash()` implementations (normalize.py)."""
        import duckdb

        from edinsights.events.normalize import identity_probe

        self.check_format()
        path = self.root / "identity.json"
        probe = identity_probe()
        if not path.exists():
            identity = {"event_id": "duckdb hash() of the JSON object text", "probe": probe}
            path.write_text(json.dumps({**identity, "format": STORE_FORMAT}))
            return
        recorded = json.loads(path.read_text())["probe"]
        if recorded != probe:
            raise StoreIncompatibleError(
                f"this DuckDB ({duckdb.__version__}) computes event ids differently from the one that "
                f"built {self.root} (identity probe {probe} != {recorded}): de-duplication against the "
                "stored events would fail. Install the DuckDB release that built the store, or ingest "
                "into a new store."
            )

    def _recover(self) -> None:
        """Undo what a killed run left: its staging, and the files of a commit it did not finish."""
        shutil.rmtree(self.staging_root, ignore_errors=True)
        for run_id in self.manifest.pending_commits():
            for path in self.events_dir.glob(f"*/part-{run_id}-*.parquet"):
                path.unlink()
            self.manifest.abandon_commit(run_id)
            for path in self.side_root.glob(f"*/*/part-{run_id}-*.parquet"):
                path.unlink()
        for path in [
            *self.events_dir.glob("*/*.tmp"),
            *self.side_root.glob("*/*.tmp"),
            *self.side_root.glob("*/*/*.tmp"),
        ]:
            path.unlink()

    def side_glob(self, table: str) -> str:
        return str(self.side_root / table / "*" / "*.parquet")

    def side_table_current(self, extraction: Extraction) -> bool:
        """Whether `extraction`'s side table exists, made by this very declaration, for every events file."""
        recorded = self._side_record(extraction.table)
        if recorded.get("fingerprint") != extraction.fingerprint:
            return False
        return not self._side_files_missing(extraction.table)

    def backfill(self, extraction: Extraction) -> int:
        """Bring `extraction`'s side table up to date from the stored events; returns files written.

        Takes the store lock (fails fast while an ingest runs); ingest calls `sync_side_tables`
        itself, under its own lock.
        """
        with self.locked():
            return self.sync_side_tables((extraction,))

    def sync_side_tables(self, extractions: tuple[Extraction, ...]) -> int:
        """Give every events file its side file in each extraction's table (the lock must be held).

        A table made by other SQL (another fingerprint), or none yet, is rebuilt from all stored
        events; otherwise only events files without a side file are read (a run's new files).
        Each side file is written beside its target and renamed, so a killed run leaves whole
        files, and _recover removes those of a run that did not commit.
        """
        if not extractions:
            return 0
        import duckdb

        written = 0
        connection = duckdb.connect(config={"threads": os.cpu_count() or 1})
        connection.execute("SET enable_progress_bar = false")
        connection.execute("SET TimeZone = 'UTC'")
        try:
            for extraction in extractions:
                table_dir = self.side_root / extraction.table
                record = self._side_record(extraction.table)
                if record.get("fingerprint") != extraction.fingerprint:
                    # The record goes first: a rebuild killed half-way is still a stale table.
                    (table_dir / "extraction.json").unlink(missing_ok=True)
                    shutil.rmtree(table_dir, ignore_errors=True)
                for event_file in self._side_files_missing(extraction.table):
                    _write_side_file(
                        connection, extraction, event_file, self._side_path(extraction.table, event_file)
                    )
                    written += 1
                for side_file in table_dir.glob("*/*.parquet"):
                    # An events file gone (a run undone by _recover) takes its side rows with it.
                    if not (self.events_dir / side_file.parent.name / side_file.name).exists():
                        side_file.unlink()
                table_dir.mkdir(parents=True, exist_ok=True)
                if record.get("fingerprint") != extraction.fingerprint:
                    info = {
                        "module": extraction.module,
                        "fingerprint": extraction.fingerprint,
                        "columns": extraction.columns,
                        "sql": extraction.sql,
                    }
                    temporary = table_dir / "extraction.json.tmp"
                    temporary.write_text(json.dumps(info, indent=2))
                    os.replace(temporary, table_dir / "extraction.json")
        finally:
            connection.close()
        return written

    def _side_record(self, table: str) -> dict[str, object]:
        path = self.side_root / table / "extraction.json"
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return {}

    def _side_path(self, table: str, event_file: Path) -> Path:
        return self.side_root / table / event_file.parent.name / event_file.name

    def _side_files_missing(self, table: str) -> list[Path]:
        return [
            path
            for path in sorted(self.events_dir.glob("*/*.parquet"))
            if not self._side_path(table, path).exists()
        ]

    def staging_dir(self, run_id: str) -> Path:
        path = self.staging_root / run_id
        path.mkdir(parents=True, exist_ok=True)
        return path

    def commit(self, run_id: str, results: list[FileResult]) -> dict[int, CommitCounts]:
        """Move a run's staged events into the store, skipping events it already holds.

        Event identity is (time, event_id); among copies inside the run the first file (in
        the run's file order) and the first line win. Returns per-file counts.
        """
        staged = sorted(Path(self.staging_dir(run_id)).glob("*/dt=*/part.parquet"))
        self.manifest.begin_commit(run_id)
        duplicate_lines = self._duplicates(staged) if staged else {}
        counts: dict[int, CommitCounts] = {result.index: CommitCounts(0, 0) for result in results}
        for path in staged:
            index = int(path.parent.parent.name)
            dt = path.parent.name
            target_dir = self.events_dir / dt
            target_dir.mkdir(parents=True, exist_ok=True)
            target = target_dir / f"part-{run_id}-{index:06d}.parquet"
            drop = duplicate_lines.get(str(path), set())
            kept = _move_without(path, target, drop)
            counts[index].events_stored += kept
            counts[index].duplicates_skipped += len(drop)
        for result in results:
            if result.quarantine_file:
                os.replace(result.quarantine_file, self.quarantine_path(result.url))
        return counts

    def quarantine_path(self, url: str) -> Path:
        self.quarantine_dir.mkdir(parents=True, exist_ok=True)
        key = hashlib.sha256(url.encode()).hexdigest()[:20]
        return self.quarantine_dir / f"{key}.parquet"

    def discard_quarantine(self, url: str) -> None:
        """A re-ingested file that no longer has rejected lines leaves no stale quarantine."""
        self.quarantine_path(url).unlink(missing_ok=True)

    def clear_staging(self, run_id: str) -> None:
        shutil.rmtree(self.staging_root / run_id, ignore_errors=True)

    def _duplicates(self, staged: list[Path]) -> dict[str, set[int]]:
        """For each staged file, the source lines whose event is already stored or staged earlier.

        Equal events have equal times, so only files of the same date can share one, and each
        date is searched on its own (memory stays at one day's keys, whatever the backfill);
        the workers already dropped repeats inside each file. A date with one staged file and
        nothing stored yet (a new day's log, the usual case) needs no look at all.
        """
        by_date: dict[str, list[Path]] = {}
        for path in staged:
            by_date.setdefault(path.parent.name, []).append(path)
        duplicates: dict[str, set[int]] = {}
        import duckdb

        connection = duckdb.connect(config={"threads": os.cpu_count() or 1})
        # No progress bar on stdout (the `--json` summary), however long a date's look takes.
        connection.execute("SET enable_progress_bar = false")
        try:
            for dt, paths in sorted(by_date.items()):
                stored = [str(path) for path in sorted((self.events_dir / dt).glob("*.parquet"))]
                if stored or len(paths) > 1:
                    for filename, source_line in _duplicates_of_date(connection, paths, stored):
                        duplicates.setdefault(filename, set()).add(source_line)
        finally:
            connection.close()
        return duplicates


def _write_side_file(connection, extraction: Extraction, event_file: Path, target: Path) -> None:  # type: ignore[no-untyped-def]
    """`extraction` over one events file → its side file (older files read with `raw` NULL)."""
    import pyarrow.parquet as pq

    from edinsights.events.schema import EVENTS_COLUMNS

    present = set(pq.read_schema(event_file).names)
    columns = ", ".join(
        f'"{column.name}"' if column.name in present else f'NULL::{column.type} AS "{column.name}"'
        for column in EVENTS_COLUMNS
    )
    source = "'" + str(event_file).replace("'", "''") + "'"
    relation = f"(SELECT {columns} FROM read_parquet({source}))"
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    destination = "'" + str(temporary).replace("'", "''") + "'"
    connection.execute(
        f"COPY ({extraction.query(relation)}) TO {destination} (FORMAT parquet, COMPRESSION zstd)"
    )
    os.replace(temporary, target)


def _duplicates_of_date(connection, staged: list[Path], stored: list[str]) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """(staged file, source line) of the repeats among one date's staged files and stored events."""
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE staged AS SELECT time, event_id, source_line, filename"
        " FROM read_parquet(?, filename = true)",
        [[str(path) for path in staged]],
    )
    query = """
        SELECT filename, source_line FROM (
            SELECT *, row_number() OVER (
                PARTITION BY time, event_id ORDER BY filename, source_line
            ) AS copy FROM staged
        ) WHERE copy > 1
    """
    if stored:
        connection.execute(
            "CREATE OR REPLACE TEMP TABLE existing AS SELECT DISTINCT time, event_id FROM read_parquet(?)",
            [stored],
        )
        query += """
        UNION
        SELECT filename, source_line FROM staged SEMI JOIN existing USING (time, event_id)
        """
    return connection.execute(query).fetchall()


def _move_without(source: Path, target: Path, drop: set[int]) -> int:
    """Move a staged Parquet file to `target`, without the rows whose source_line is in `drop`.

    Returns the number of rows kept. The common case (nothing to drop) is a plain rename;
    otherwise the file is rewritten one row group at a time beside the target and renamed.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from edinsights.events.normalize import filter_rows
    from edinsights.events.worker import events_parquet_options

    parquet = pq.ParquetFile(source)
    total = parquet.metadata.num_rows
    if not drop:
        parquet.close()
        os.replace(source, target)
        return total
    if len(drop) == total:
        parquet.close()
        source.unlink()
        return 0
    drop_array = pa.array(sorted(drop), pa.int64())
    temporary = target.with_name(target.name + ".tmp")
    kept = 0
    options = events_parquet_options(parquet.schema_arrow.names)
    with pq.ParquetWriter(temporary, parquet.schema_arrow, **options) as writer:
        for group in range(parquet.num_row_groups):
            rows = parquet.read_row_group(group)
            rows = filter_rows(rows, pc.invert(pc.is_in(rows.column("source_line"), drop_array)))
            if rows.num_rows:
                writer.write_table(rows)
                kept += rows.num_rows
    parquet.close()
    os.replace(temporary, target)
    source.unlink()
    return kept
