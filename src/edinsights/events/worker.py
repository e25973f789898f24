"""Ingest one log file into a staging directory (runs in a worker process).

Reading and decompressing happen in a background thread while DuckDB normalises the previous
block, and a third thread writes Parquet, so one file keeps both cores busy. The output is one
Parquet file per UTC date under `staging/<file index>/dt=YYYY-MM-DD/`, plus the file's
quarantine; nothing becomes visible in the store until the run commits (see store.py).
"""

from __future__ import annotations

import contextlib
import queue
import shutil
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from edinsights.events.dedupe import SeenEvents
from edinsights.events.lines import LineBatch, split_lines
from edinsights.events.normalize import Normalizer, filter_rows
from edinsights.events.reader import BLOCK_TARGET, OVERLONG_KEPT, ReadReport, read_line_blocks
from edinsights.events.schema import (
    EVENTS_COLUMNS,
    PROBLEM_PARTS_TYPE,
    PROBLEM_TAGS_TYPE,
    QUARANTINE_COLUMNS,
)
from edinsights.events.sources import open_source

# At most this many rejected lines of one file are kept in the quarantine (all are counted).
QUARANTINE_LIMIT_PER_FILE = 10_000
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 3}
# The `raw` column (each event's whole JSON text) is most of the bytes written: zstd level 1
# compresses it nearly as well as 3 at a fraction of the time (docs/event-store.md has the
# figures), and neither a dictionary nor min/max statistics help a column of unique texts.
RAW_COMPRESSION_LEVEL = 1
# Pages of 4 MB instead of 1 MB give zstd more repeats to find in the JSON texts: 3 % fewer
# bytes for the same CPU time (measured on the 1M-line benchmark file). A file's page size is
# one setting for all its columns; the others are small and lose nothing by it.
RAW_PAGE_SIZE = 4 << 20
# Nearly every value of these is unique within a row group: a dictionary only costs the time
# to build it and then the bytes of it (measured together with raw's: 3 % fewer bytes, 11 %
# less of the writer's CPU time).
UNIQUE_COLUMNS = frozenset({"event_id", "time", "source_line", "payload", "raw"})


def events_parquet_options(names: list[str]) -> dict[str, object]:
    """pyarrow writer options for an events file with these columns (older files lack `raw`)."""
    others = [name for name in names if name != "raw"]
    if len(others) == len(names):
        return PARQUET_OPTIONS
    return {
        "compression": "zstd",
        "compression_level": {name: 3 for name in others} | {"raw": RAW_COMPRESSION_LEVEL},
        "use_dictionary": [name for name in names if name not in UNIQUE_COLUMNS],
        "write_statistics": others,
        "data_page_size": RAW_PAGE_SIZE,
    }


ARROW_TYPES = {
    "UBIGINT": pa.uint64(),
    "BIGINT": pa.int64(),
    "INTEGER": pa.int32(),
    "DOUBLE": pa.float64(),
    "VARCHAR": pa.string(),
    "TIMESTAMP": pa.timestamp("us"),
    PROBLEM_PARTS_TYPE: pa.list_(
        pa.struct(
            [
                ("part_id", pa.string()),
                ("value_id", pa.string()),
                ("answer_value", pa.string()),
                ("correct", pa.bool_()),
                ("variant", pa.string()),
                ("question_text", pa.string()),
            ]
        )
    ),
    PROBLEM_TAGS_TYPE: pa.list_(pa.struct([("name", pa.string()), ("value", pa.string())])),
}
# `raw` stays a string view into the decompressed block until Parquet writes it (normalize.py).
EVENTS_SCHEMA = pa.schema(
    [
        (column.name, pa.string_view() if column.name == "raw" else ARROW_TYPES[column.type])
        for column in EVENTS_COLUMNS
    ]
)
QUARANTINE_SCHEMA = pa.schema([(column.name, ARROW_TYPES[column.type]) for column in QUARANTINE_COLUMNS])

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class FileTask:
    index: int
    url: str
    staging_dir: str
    threads: int = 1
    block_size: int = BLOCK_TARGET


@dataclass
class FileResult:
    index: int
    url: str
    lines_read: int = 0
    events: int = 0
    duplicates: int = 0
    """Repeats of an event inside this file (dropped before staging)."""
    rejected: dict[str, int] = field(default_factory=dict)
    invalid_course_ids: int = 0
    other_formats: dict[str, int] = field(default_factory=dict)
    """Events read from lines in event-tracking's or Segment's format, by format."""
    utf8_repaired: int = 0
    compression: str = "none"
    compressed_bytes: int = 0
    content_hash: str = ""
    damage: str | None = None
    error: str | None = None
    quarantine_file: str | None = None


ProgressCallback = Callable[[int, int, int], None]
"""Called with (file index, compressed bytes read so far, lines read so far)."""


def ingest_file(task: FileTask, progress: ProgressCallback | None = None) -> FileResult:
    """Read, normalise and stage one file. Never raises: a file that cannot be read is reported.

    Bad content is never an error (it is counted and quarantined). An unreadable file, or an
    unexpected failure, is reported as the file's `error`: the run goes on with the other
    files, and the failed file stays out of the manifest, so the next run tries it again.
    """
    result = FileResult(task.index, task.url)
    staging = Path(task.staging_dir) / f"{task.index:06d}"
    try:
        with open_source(task.url) as stream:
            _ingest_stream(stream, task, staging, result, progress)
    except Exception as error:
        result.error = f"{type(error).__name__}: {error}"
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _ingest_stream(stream, task: FileTask, staging: Path, result: FileResult, progress) -> None:  # type: ignore[no-untyped-def]
    report = ReadReport()
    writer = _PartitionWriter(staging, task.url)
    reasons: Counter[str] = Counter()
    quarantined: list[tuple[int, str, str]] = []
    normalizers: list[Normalizer] = []
    local = threading.local()
    seen = SeenEvents()

    def reject(line_no: int, reason: str, text: str) -> None:
        reasons[reason] += 1
        if len(quarantined) < QUARANTINE_LIMIT_PER_FILE:
            quarantined.append((line_no, reason, text[:OVERLONG_KEPT]))

    def batches() -> Iterator[LineBatch | tuple[int, str]]:
        """Split blocks into line batches; an over-long line comes through as (line_no, head)."""
        line_no = 1
        for block in read_line_blocks(stream, report, block_target=task.block_size):
            if block.overlong:
                yield line_no, bytes(block.data).decode("utf-8", errors="replace")
                line_no += 1
                continue
            batch = split_lines(block.data, line_no)
            line_no += batch.line_count
            if progress:
                progress(task.index, report.compressed_bytes, line_no - 1)
            yield batch

    def normalize(item: LineBatch | tuple[int, str]) -> _Normalized:
        """Runs in a pool thread, each with its own DuckDB connection."""
        if isinstance(item, tuple):
            return _Normalized(None, 1, 0, [(item[0], "too_long", item[1])])
        if not hasattr(local, "normalizer"):
            local.normalizer = _take_normalizer()
            normalizers.append(local.normalizer)
        rows, rejected = local.normalizer.normalize(item.candidates)
        texts = [(line_no, reason, item.line_text(line_no)) for line_no, reason in item.rejected + rejected]
        return _Normalized(rows, item.line_count, item.utf8_repaired, texts)

    try:
        lines = _in_background(batches(), depth=1)
        for normalized in _ordered_map(normalize, lines, threads=task.threads):
            result.lines_read += normalized.line_count
            result.utf8_repaired += normalized.utf8_repaired
            for line_no, reason, text in normalized.rejected:
                reject(line_no, reason, text)
            if normalized.rows is not None:
                writer.write(seen.drop_seen(normalized.rows))
    finally:
        writer.close()
        _IDLE_NORMALIZERS.extend(normalizers)

    if report.truncated_tail is not None:
        result.lines_read += 1
        reject(result.lines_read, "truncated", report.truncated_tail.decode("utf-8", errors="replace"))
    result.events = writer.rows
    result.duplicates = seen.duplicates
    result.rejected = dict(reasons)
    result.invalid_course_ids = sum(normalizer.invalid_course_ids for normalizer in normalizers)
    result.other_formats = dict(sum((normalizer.other_formats for normalizer in normalizers), Counter()))
    result.compression = report.compression
    result.compressed_bytes = report.compressed_bytes
    result.content_hash = report.content_hash
    result.damage = report.damage
    if quarantined:
        result.quarantine_file = str(staging / "quarantine.parquet")
        _write_quarantine(Path(result.quarantine_file), task.url, quarantined)
    if progress:
        progress(task.index, report.compressed_bytes, result.lines_read)


@dataclass
class _Normalized:
    rows: pa.Table | None
    line_count: int
    utf8_repaired: int
    rejected: list[tuple[int, str, str]]


# Normalisers (a DuckDB connection with the query prepared as a view) outlive the file they
# were made for: a daily log of a few thousand lines would otherwise spend more time setting
# one up than parsing.
_IDLE_NORMALIZERS: list[Normalizer] = []


def _take_normalizer() -> Normalizer:
    try:
        normalizer = _IDLE_NORMALIZERS.pop()
    except IndexError:
        return Normalizer(threads=1)
    normalizer.reset_counts()
    return normalizer


class _PartitionWriter:
    """Streams normalised rows into one Parquet file per UTC date."""

    def __init__(self, staging: Path, url: str) -> None:
        self.staging = staging
        self.url = url
        self.rows = 0
        self._writers: dict[str, pq.ParquetWriter] = {}

    def write(self, rows: pa.Table) -> None:
        if rows.num_rows == 0:
            return
        rows = rows.append_column("source_file", pa.repeat(pa.scalar(self.url), rows.num_rows))
        rows = rows.append_column("source_line", rows.column("line_no")).drop_columns(["line_no"])
        rows = rows.select(EVENTS_SCHEMA.names).cast(EVENTS_SCHEMA)
        dates = pc.cast(rows.column("time"), pa.date32())
        for date in pc.unique(dates).to_pylist():
            part = rows if pc.count_distinct(dates).as_py() == 1 else filter_rows(rows, pc.equal(dates, date))
            self._writer(date.isoformat()).write_table(part)
        self.rows += rows.num_rows

    def _writer(self, dt: str) -> pq.ParquetWriter:
        writer = self._writers.get(dt)
        if writer is None:
            directory = self.staging / f"dt={dt}"
            directory.mkdir(parents=True, exist_ok=True)
            writer = pq.ParquetWriter(
                directory / "part.parquet", EVENTS_SCHEMA, **events_parquet_options(EVENTS_SCHEMA.names)
            )
            self._writers[dt] = writer
        return writer

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()


def _write_quarantine(path: Path, url: str, rows: list[tuple[int, str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.table(
        {
            "source_file": [url] * len(rows),
            "line_no": [row[0] for row in rows],
            "reason": [row[1] for row in rows],
            "line": [row[2] for row in rows],
        },
        schema=QUARANTINE_SCHEMA,
    )
    pq.write_table(table, path, **PARQUET_OPTIONS)


_DONE = object()


def _in_background(items: Iterable[T], depth: int) -> Iterator[T]:
    """Produce `items` in a thread, at most `depth` ahead of the consumer.

    Decompression releases the GIL, so reading the next block overlaps the work on this one.
    """
    buffer: queue.Queue[object] = queue.Queue(maxsize=depth)
    failure: list[BaseException] = []
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                buffer.put(item)
        except BaseException as error:  # re-raised in the consumer
            failure.append(error)
        finally:
            buffer.put(_DONE)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    try:
        while (item := buffer.get()) is not _DONE:
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        while thread.is_alive():
            with contextlib.suppress(queue.Empty):
                buffer.get(timeout=0.1)
        thread.join()
    if failure:
        raise failure[0]


def _ordered_map(function: Callable[[T], R], items: Iterable[T], threads: int) -> Iterator[R]:
    """`map` over a thread pool, in order, with at most `threads` + 1 items in flight.

    DuckDB releases the GIL, so one connection per thread normalises blocks side by side:
    measured faster than one connection running its own threads over a single block.
    """
    with ThreadPoolExecutor(max_workers=threads) as pool:
        in_flight: deque[Future[R]] = deque()
        for item in items:
            in_flight.append(pool.submit(function, item))
            if len(in_flight) > threads:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
