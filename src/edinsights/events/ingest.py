"""`edinsights ingest`: tracking-log files → event store, incrementally and in parallel."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import queue
import secrets
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from edinsights.events.manifest import ManifestEntry
from edinsights.events.reader import BLOCK_TARGET
from edinsights.events.sources import SourceFile, find_inputs
from edinsights.events.store import EventStore

if TYPE_CHECKING:
    from edinsights.events.extraction import Extraction
    from edinsights.events.worker import FileResult, FileTask

# The worker (DuckDB, pyarrow, numpy) is imported only when there are files to read, so a run
# over unchanged files stays well under the 5%-of-a-first-run budget.


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class ProgressHook(Protocol):
    """What an ingest run reports as it goes (the CLI shows it as a progress bar)."""

    def start(self, sizes: dict[str, int]) -> None:
        """The files about to be read, with their sizes in bytes."""

    def update(self, url: str, bytes_read: int, lines: int) -> None:
        """A file's progress: bytes read (compressed) and lines read so far."""


@dataclass
class IngestSummary:
    run_id: str
    files_found: int = 0
    files_ingested: int = 0
    files_unchanged: int = 0
    lines_read: int = 0
    events_stored: int = 0
    duplicates_skipped: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    invalid_course_ids: int = 0
    other_formats: dict[str, int] = field(default_factory=dict)
    utf8_repaired: int = 0
    bytes_read: int = 0
    damaged_files: list[dict[str, str]] = field(default_factory=list)
    failed_files: list[dict[str, str]] = field(default_factory=list)
    """Inputs that could not be read ({"file", "error"}): files, directories, broken links, loops."""
    skipped_files: list[dict[str, str]] = field(default_factory=list)
    """Inputs passed over as no log file ({"file", "reason"}): FIFOs, sockets, devices, link loops."""
    side_files_written: int = 0
    """Side-table files written for modules' extractions (new events, or a back-fill)."""
    seconds: float = 0.0

    @property
    def lines_rejected(self) -> int:
        return sum(self.rejected.values())

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "lines_rejected": self.lines_rejected}


def ingest(
    paths: list[str],
    store: EventStore,
    *,
    workers: int | None = None,
    threads: int | None = None,
    progress: ProgressHook | None = None,
    extractions: tuple[Extraction, ...] | None = None,
) -> IngestSummary:
    """Ingest every new or changed file under `paths` into `store`.

    `workers` files are processed at once (default: one per core), each by `threads`
    normalising threads (default: the cores divided among the workers). Each of `extractions`
    (default: the installed modules') gets its side table rows for the new events, and a side
    table that is missing or was made by other SQL is back-filled from the stored events, even
    when no file changed.
    """
    if extractions is None:
        from edinsights.events.extraction import registered_extractions

        extractions = registered_extractions()
    started = time.monotonic()
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)
    summary = IngestSummary(run_id)
    listing = find_inputs(paths)
    sources = listing.files
    summary.files_found = len(sources)
    summary.failed_files.extend(listing.failed)
    summary.skipped_files.extend(listing.skipped)
    with store.locked():
        known = store.manifest.entries()
        todo = [source for source in sources if not unchanged(known.get(source.url), source)]
        summary.files_unchanged = len(sources) - len(todo)
        if todo:
            store.check_identity()
            results = _run_workers(todo, str(store.staging_dir(run_id)), workers, threads, progress)
            _commit(store, run_id, todo, results, summary, extractions)
        elif extractions and store.has_events():
            store.check_format()
            summary.side_files_written = store.sync_side_tables(extractions)
        store.clear_staging(run_id)
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def unchanged(entry: ManifestEntry | None, source: SourceFile) -> bool:
    return entry is not None and entry.size == source.size and entry.modified == source.modified


def _commit(
    store: EventStore,
    run_id: str,
    sources: list[SourceFile],
    results: list[FileResult],
    summary: IngestSummary,
    extractions: tuple[Extraction, ...] = (),
) -> None:
    readable = [result for result in results if result.error is None]
    counts = store.commit(run_id, readable)
    # Before the manifest records the run: a run killed here is undone whole by _recover.
    summary.side_files_written = store.sync_side_tables(extractions)
    # Microseconds: compute compares it with the start of the last publication (pipeline/compute.py).
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    entries = []
    rejected: Counter[str] = Counter()
    other_formats: Counter[str] = Counter()
    for result in results:
        if result.error is not None:
            summary.failed_files.append({"file": result.url, "error": result.error})
            continue
        source = sources[result.index]
        stored = counts[result.index]
        if result.quarantine_file is None:
            store.discard_quarantine(result.url)
        if result.damage:
            summary.damaged_files.append({"file": result.url, "damage": result.damage})
        rejected.update(result.rejected)
        other_formats.update(result.other_formats)
        summary.files_ingested += 1
        summary.lines_read += result.lines_read
        summary.events_stored += stored.events_stored
        duplicates = result.duplicates + stored.duplicates_skipped
        summary.duplicates_skipped += duplicates
        summary.invalid_course_ids += result.invalid_course_ids
        summary.utf8_repaired += result.utf8_repaired
        summary.bytes_read += result.compressed_bytes
        entries.append(
            ManifestEntry(
                url=result.url,
                size=source.size,
                modified=source.modified,
                content_hash=result.content_hash,
                compression=result.compression,
                lines_read=result.lines_read,
                events_stored=stored.events_stored,
                duplicates_skipped=duplicates,
                rejected=dict(result.rejected),
                damage=result.damage,
                run_id=run_id,
                ingested_at=now,
            )
        )
    summary.rejected = dict(sorted(rejected.items()))
    summary.other_formats = dict(sorted(other_formats.items()))
    store.manifest.record(run_id, entries)


def _run_workers(
    sources: list[SourceFile],
    staging: str,
    workers: int | None,
    threads: int | None,
    progress: ProgressHook | None,
) -> list[FileResult]:
    from edinsights.events.worker import FileTask, ingest_file

    cores = os.cpu_count() or 1
    workers = max(1, min(workers or cores, len(sources)))
    # One file alone gets every core.
    threads = threads or max(1, cores // workers)
    # Workers side by side share the memory: each gets smaller blocks (fewer bytes in flight).
    block_size = max(BLOCK_TARGET // workers, 16 << 20)
    tasks = [
        FileTask(index, source.url, staging, threads, block_size) for index, source in enumerate(sources)
    ]
    if progress:
        progress.start({source.url: source.size for source in sources})

    def report(index: int, bytes_read: int, lines: int) -> None:
        if progress:
            progress.update(sources[index].url, bytes_read, lines)

    if workers == 1:
        return [ingest_file(task, report) for task in tasks]

    # Worker processes are spawned, not forked: DuckDB and the reader threads don't survive fork.
    context = multiprocessing.get_context("spawn")
    updates = context.Queue()
    listener = threading.Thread(target=_relay_progress, args=(updates, report), daemon=True)
    listener.start()
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_worker_init,
            initargs=(updates, os.getpid()),
        ) as pool:
            return list(pool.map(_worker_ingest, tasks))
    finally:
        updates.put(None)
        listener.join()


_updates = None


def _worker_init(updates, parent: int) -> None:  # type: ignore[no-untyped-def]
    global _updates
    _updates = updates
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """A killed ingest must not leave workers behind, still writing into its staging area.

    Linux sends the signal asked for with PR_SET_PDEATHSIG when the parent dies; elsewhere
    an orphaned worker finishes its file, and the next run discards its output.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was set up
        os._exit(1)


def _worker_ingest(task: FileTask) -> FileResult:
    from edinsights.events.worker import ingest_file

    def report(index: int, bytes_read: int, lines: int) -> None:
        if _updates is not None:
            _updates.put((index, bytes_read, lines))

    return ingest_file(task, report)


def _relay_progress(updates, report: Callable[[int, int, int], None]) -> None:  # type: ignore[no-untyped-def]
    while True:
        try:
            update = updates.get(timeout=1)
        except queue.Empty:
            continue
        if update is None:
            return
        report(*update)
