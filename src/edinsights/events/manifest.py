"""The manifest: which log files the event store has ingested, and what each contributed.

SQLite, so that recording a run's files is one transaction: after a crash the manifest is
either as it was before the run or includes all of it, never half of it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS ingested_files (
    url TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    modified TEXT,
    content_hash TEXT NOT NULL,
    compression TEXT NOT NULL,
    lines_read INTEGER NOT NULL,
    events_stored INTEGER NOT NULL,
    duplicates_skipped INTEGER NOT NULL,
    rejected TEXT NOT NULL,
    damage TEXT,
    run_id TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending_commits (
    run_id TEXT PRIMARY KEY
);
"""


@dataclass(frozen=True)
class ManifestEntry:
    url: str
    size: int
    modified: str | None
    content_hash: str
    compression: str
    lines_read: int
    events_stored: int
    duplicates_skipped: int
    rejected: dict[str, int]
    damage: str | None
    run_id: str
    ingested_at: str


class Manifest:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._transaction() as connection:
            connection.executescript(SCHEMA)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=60)
        try:
            with connection:
                yield connection
        finally:
            connection.close()

    def entries(self) -> dict[str, ManifestEntry]:
        with self._transaction() as connection:
            rows = connection.execute(
                "SELECT url, size, modified, content_hash, compression, lines_read, events_stored,"
                " duplicates_skipped, rejected, damage, run_id, ingested_at FROM ingested_files"
            ).fetchall()
        return {
            row[0]: ManifestEntry(*row[:8], json.loads(row[8]), *row[9:])  # type: ignore[call-arg]
            for row in rows
        }

    def begin_commit(self, run_id: str) -> None:
        """Note that `run_id` is about to move files into the store (see EventStore.recover)."""
        with self._transaction() as connection:
            connection.execute("INSERT OR IGNORE INTO pending_commits VALUES (?)", [run_id])

    def pending_commits(self) -> list[str]:
        with self._transaction() as connection:
            return [row[0] for row in connection.execute("SELECT run_id FROM pending_commits")]

    def abandon_commit(self, run_id: str) -> None:
        with self._transaction() as connection:
            connection.execute("DELETE FROM pending_commits WHERE run_id = ?", [run_id])

    def record(self, run_id: str, entries: list[ManifestEntry]) -> None:
        """Record a run's files and end its commit, in one transaction: the run's commit point."""
        with self._transaction() as connection:
            connection.execute("DELETE FROM pending_commits WHERE run_id = ?", [run_id])
            connection.executemany(
                "INSERT OR REPLACE INTO ingested_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        entry.url,
                        entry.size,
                        entry.modified,
                        entry.content_hash,
                        entry.compression,
                        entry.lines_read,
                        entry.events_stored,
                        entry.duplicates_skipped,
                        json.dumps(entry.rejected, sort_keys=True),
                        entry.damage,
                        entry.run_id,
                        entry.ingested_at,
                    )
                    for entry in entries
                ],
            )
