"""One structure import, from course exports or from the LMS: read, store, summarise.

The CLI (`edinsights import structure`) and the bench call these. Either every course read
becomes current at once, or (on an error) none does and the previous structure stays in use.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from edinsights.structure.lms import LmsClient, fetch_structures
from edinsights.structure.olx import read_olx
from edinsights.structure.storage import StructureStore


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
    store: StructureStore, paths: Sequence[str | Path], course_id: str | None = None
) -> ImportSummary:
    """Course exports (tarballs or directories; `course_id` only with one) → one import."""
    if course_id is not None and len(paths) != 1:
        raise ValueError("--course-id names the course of one export: give one --olx PATH with it")
    started = time.monotonic()
    summary = ImportSummary(source="olx")
    with store.locked():
        run = store.begin()
        try:
            for path in paths:
                structure = read_olx(path, course_id)
                if structure.course_id in run.courses:
                    summary.skipped.append(
                        {
                            "course_id": structure.course_id,
                            "reason": f"{path}: the same course as an earlier export",
                        }
                    )
                    continue
                summary.blocks += run.add(structure)
            result = run.commit()
        except BaseException:
            run.abort()
            raise
    summary.import_id = result.import_id
    summary.courses = result.courses
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


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
