"""The ingest's own ways of selecting rows and repairing UTF-8 (they replace Arrow's filter and
a whole-block decode): the same rows and bytes as the plain way, in the same order."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from edinsights.events import worker
from edinsights.events.normalize import _without_rows
from tests.conftest import event_line, write_log


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


def _lines(count: int) -> list[str]:
    return [
        event_line(time=f"2024-01-0{4 + i % 2}T09:{i // 60 % 60:02d}:{i % 60:02d}.000001+00:00", n=i)
        for i in range(count)
    ]


def test_many_batches_reach_their_date_files_in_line_order(tmp_path: Path) -> None:
    log = write_log(tmp_path / "tracking.log", _lines(3000))
    staging = tmp_path / "staging"
    # Small blocks: many batches, each cut into two dates.
    result = worker.ingest_file(worker.FileTask(0, str(log), str(staging), threads=2, block_size=16 << 10))
    assert result.error is None
    assert result.events == 3000
    files = sorted(staging.glob("000000/dt=*/part.parquet"))
    assert [path.parent.name for path in files] == ["dt=2024-01-04", "dt=2024-01-05"]
    for path in files:
        table = pq.read_table(path)
        lines = table.column("source_line").to_pylist()
        assert lines == sorted(lines)
        assert len(lines) == 1500
        raw = table.column("raw").to_pylist()
        assert [json.loads(text)["n"] for text in raw] == [line - 1 for line in lines]


def test_a_failing_write_fails_the_file(tmp_path: Path, monkeypatch) -> None:
    log = write_log(tmp_path / "tracking.log", _lines(3000))

    def full_disk(self, rows) -> None:  # type: ignore[no-untyped-def]
        raise OSError("No space left on device")

    monkeypatch.setattr(worker._PartitionWriter, "write", full_disk)
    task = worker.FileTask(0, str(log), str(tmp_path / "staging"), threads=2, block_size=16 << 10)
    result = worker.ingest_file(task)
    assert result.error == "OSError: No space left on device"
    assert not (tmp_path / "staging" / "000000").exists()


def _repaired_line_by_line(data: bytes) -> tuple[bytes, int]:
    """The rule, spelled out slowly: each line that is not UTF-8 is decoded with U+FFFD."""
    lines = data.split(b"\n")
    repaired = 0
    for index, line in enumerate(lines):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            lines[index] = line.decode("utf-8", errors="replace").encode("utf-8")
            repaired += 1
    return b"\n".join(lines), repaired


@pytest.mark.parametrize("seed", range(20))
def test_utf8_repair_decodes_only_non_ascii_lines_with_the_same_result(seed: int) -> None:
    import random

    from edinsights.events.lines import _valid_utf8

    rng = random.Random(seed)
    pieces = [
        b"ascii",
        "caf\u00e9".encode(),
        "\u65e5\u672c".encode(),
        b"\xff",
        b"\xc3",
        b"\xe6\x97",
        b"\r",
        b"{}",
    ]
    lines = [
        b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 6))) for _ in range(rng.randrange(1, 40))
    ]
    data = b"\n".join(lines) + b"\n"
    fixed, repaired = _valid_utf8(memoryview(data))
    assert (bytes(fixed), repaired) == _repaired_line_by_line(data)
    bytes(fixed).decode("utf-8")


def test_events_files_keep_dictionaries_only_for_repeating_columns(tmp_path: Path) -> None:
    log = write_log(tmp_path / "tracking.log", _lines(200))
    staging = tmp_path / "staging"
    assert worker.ingest_file(worker.FileTask(0, str(log), str(staging))).error is None
    path = sorted(staging.glob("000000/dt=*/part.parquet"))[0]
    group = pq.ParquetFile(path).metadata.row_group(0)
    encodings = {
        group.column(i).path_in_schema: set(group.column(i).encodings) for i in range(group.num_columns)
    }
    for name in worker.UNIQUE_COLUMNS:
        assert "RLE_DICTIONARY" not in encodings[name], name
    assert "RLE_DICTIONARY" in encodings["event_type"]
    assert "RLE_DICTIONARY" in encodings["source_file"]
