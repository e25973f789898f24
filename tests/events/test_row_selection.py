"""The normaliser's and the writer's own ways of selecting and writing rows (they replace
Arrow's filter, and write on a thread): same rows as the plain way, in the same order."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from edinsights.events.normalize import _without_rows


def _table(n: int) -> pa.Table:
    return pa.table(
        {
            "line_no": pa.array(range(1, n + 1), pa.int64()),
            "text": pa.array([f"line {i} " * (i % 7) for i in range(n)], pa.string()),
            "maybe": pa.array([None if i % 5 == 0 else float(i) for i in range(n)], pa.float64()),
        }
    )


@pytest.mark.parametrize(
    "dropped",
    [
        [],
        [0],
        [999],
        [0, 1, 2, 500, 998, 999],
        list(range(0, 1000, 3)),  # many short stretches: the filter fallback
        list(range(1000)),
    ],
    ids=["none", "first", "last", "some", "dirty", "all"],
)
def test_without_rows_keeps_what_the_filter_keeps(dropped: list[int]) -> None:
    rows = _table(1000)
    mask = pa.chunked_array([pa.array([i in set(dropped) for i in range(1000)])])
    kept = _without_rows(rows, mask)
    assert kept.equals(rows.filter(pc.invert(mask)))
    assert all(column.num_chunks <= 1 for column in kept.columns)


def test_without_rows_treats_null_as_kept() -> None:
    rows = _table(10)
    mask = pa.chunked_array([pa.array([None, True, None, False, True, None, None, None, None, None])])
    kept = _without_rows(rows, mask)
    assert kept.column("line_no").to_pylist() == [1, 3, 4, 6, 7, 8, 9, 10]
