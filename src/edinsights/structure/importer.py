"""One structure import, from course exports or from the LMS: read, store, summarise.

The CLI (`edinsights import structure`) and the bench call these. Either every course read
becomes current at once, or (on an error) none does and the previous structure stays in use.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from edinsights.structure.lms import LmsClient, fetch_structures
from edinsights.structure.olx import read_olx
from edinsights.structure.storage import StructureStore, arrow_tables

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass
class ImportSummary:
    source: str
    """`olx` or the LMS's URL."""
    import_id: str = ""
    courses: list[str] = field(default_factory=list)
    blocks: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return asdict(self) | {"course_count": len(self.courses)}


def import_olx(
    store: StructureStore,
    paths: Sequence[str | Path],
    course_id: str | None = None,
    workers: int | None = None,
) -> ImportSummary:
    """Course exports (tarballs or directories; `course_id` only with one) → one import.

    Exports are read and traversed in `workers` processes (default: the cores; XML parsing is
    CPU work), at most twice that many ahead of the writing, in the order given.
    """
    if course_id is not None and len(paths) != 1:
        raise ValueError("--course-id names the course of one export: give one --olx PATH with it")
    started = time.monotonic()
    summary = ImportSummary(source="olx")
    workers = max(1, min(workers or os.cpu_count() or 1, len(paths)))
    with store.locked():
        run = store.begin()
        try:
            for path, (read_id, tables) in zip(paths, _read_exports(paths, course_id, workers), strict=True):
                if read_id in run.courses:
                    reason = f"{path}: the same course as an earlier export"
                    summary.skipped.append({"course_id": read_id, "reason": reason})
                    continue
                summary.blocks += run.add_tables(read_id, tables)
            result = run.commit()
        except BaseException:
            run.abort()
            raise
    summary.import_id = result.import_id
    summary.courses = result.courses
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def _read_export(path: str | Path, course_id: str | None) -> tuple[str, dict[str, pa.Table]]:
    structure = read_olx(path, course_id)
    return structure.course_id, arrow_tables(structure)


def _read_exports(
    paths: Sequence[str | Path], course_id: str | None, workers: int
) -> Iterator[tuple[str, dict[str, pa.Table]]]:
    if workers == 1:
        for path in paths:
            yield _read_export(path, course_id)
        return
    window: deque[Future[tuple[str, dict[str, pa.Table]]]] = deque()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        try:
            for path in paths:
                window.append(pool.submit(_read_export, path, course_id))
                if len(window) >= 2 * workers:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
        finally:
            for future in window:
                future.cancel()


def import_lms(
    store: StructureStore,
    client: LmsClient,
    course_ids: Sequence[str] | None = None,
    workers: int = 4,
) -> ImportSummary:
    """Every course the LMS lists (or those of `course_ids`) → one import; 404 courses are skipped."""
    started = time.monotonic()
    summary = ImportSummary(source=client.lms_url)
    with store.locked():
        run = store.begin()
        try:
            fetched = fetch_structures(client, run.add, course_ids=course_ids, workers=workers)
            result = run.commit() if fetched.courses else None
        except BaseException:
            run.abort()
            raise
    if result is None:
        run.abort()
    summary.import_id = result.import_id if result else ""
    summary.courses = sorted(fetched.courses)
    summary.blocks = fetched.blocks
    summary.skipped = [{"course_id": item.course_id, "reason": item.reason} for item in fetched.skipped]
    summary.seconds = round(time.monotonic() - started, 3)
    return summary
