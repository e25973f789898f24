"""In-file de-duplication: exact (time, event_id) repeats are dropped, nothing else."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyarrow as pa

from edinsights.events.dedupe import SeenEvents

BASE = datetime(2024, 1, 4, 9, 0, 0)


def batch(*rows: tuple[int, int, int]) -> pa.Table:
    """Rows of (microseconds after BASE, event_id, source_line)."""
    return pa.table(
        {
            "time": pa.array([BASE + timedelta(microseconds=row[0]) for row in rows], pa.timestamp("us")),
            "event_id": pa.array([row[1] for row in rows], pa.uint64()),
            "source_line": pa.array([row[2] for row in rows], pa.int64()),
        }
    )


def lines(table: pa.Table) -> list[int]:
    return table.column("source_line").to_pylist()


def test_repeats_inside_a_batch_keep_the_first_line() -> None:
    seen = SeenEvents()
    kept = seen.drop_seen(batch((5, 1, 1), (5, 1, 2), (6, 1, 3), (5, 2, 4), (5, 1, 5)))
    assert lines(kept) == [1, 3, 4]
    assert seen.duplicates == 2


def test_repeats_across_batches() -> None:
    seen = SeenEvents()
    assert lines(seen.drop_seen(batch((1, 10, 1), (2, 20, 2)))) == [1, 2]
    assert lines(seen.drop_seen(batch((2, 20, 3), (3, 30, 4), (1, 10, 5)))) == [4]
    assert lines(seen.drop_seen(batch((3, 30, 6), (3, 31, 7)))) == [7]
    assert seen.duplicates == 3


def test_same_id_at_another_time_or_same_time_with_another_id_is_kept() -> None:
    seen = SeenEvents()
    kept = seen.drop_seen(batch((1, 2**63 + 7, 1), (2, 2**63 + 7, 2), (1, 2**64 - 1, 3), (1, 0, 4)))
    assert lines(kept) == [1, 2, 3, 4]
    assert seen.duplicates == 0


def test_empty_batch() -> None:
    assert SeenEvents().drop_seen(batch()).num_rows == 0
