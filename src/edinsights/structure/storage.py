"""The stored structure: Parquet tables beside the events, versioned per import.

Layout under the event store's root (docs/event-store.md, docs/structure.md):

    structure/<import id>/<course dir>/blocks.parquet          the outline (traversal.BLOCK_COLUMNS)
    structure/<import id>/<course dir>/courses.parquet         the catalog entry (one row)
    structure/<import id>/<course dir>/grading_policy.parquet  one row per assignment type
    structure/current.json                                     course id → its current course dir
    structure/.lock                                            held by the running import

An import writes every file of every course it read, then replaces `current.json` (a temporary
file and os.replace) in one step: readers follow the pointer, so they see the previous
structure or the new one, never a mix, and an import that fails before the pointer moves leaves
the previous structure in use (its own files are deleted). Courses the import did not read keep
their entries. The import directories the new pointer and the one before it no longer name are
deleted afterwards (one generation is kept for readers that had just read the old pointer).
Imports lock the structure directory only, not the event store: an ingest runs alongside.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from edinsights.structure.model import CourseStructure
from edinsights.structure.traversal import outline

if TYPE_CHECKING:
    import duckdb

TABLES = ("blocks", "courses", "grading_policy")

SCHEMAS: dict[str, pa.Schema] = {
    "blocks": pa.schema(
        [
            ("course_id", pa.string()),
            ("block_id", pa.string()),
            ("block_name", pa.string()),
            ("block_type", pa.string()),
            ("display_name", pa.string()),
            ("parent_block_id", pa.string()),
            ("sort_idx", pa.int32()),
            ("is_root", pa.bool_()),
            ("is_orphan", pa.bool_()),
            ("is_dag", pa.bool_()),
            ("course_path", pa.string()),
            ("graded", pa.bool_()),
            ("format", pa.string()),
            ("due", pa.timestamp("us")),
            ("start", pa.timestamp("us")),
        ]
    ),
    "courses": pa.schema(
        [
            ("course_id", pa.string()),
            ("name", pa.string()),
            ("org", pa.string()),
            ("number", pa.string()),
            ("start_date", pa.timestamp("us")),
            ("end_date", pa.timestamp("us")),
            ("enrollment_start", pa.timestamp("us")),
            ("enrollment_end", pa.timestamp("us")),
            ("pacing", pa.string()),
        ]
    ),
    "grading_policy": pa.schema(
        [
            ("course_id", pa.string()),
            ("assignment_type", pa.string()),
            ("weight", pa.float64()),
            ("drop_count", pa.int32()),
            ("min_count", pa.int32()),
        ]
    ),
}


class StructureLockedError(Exception):
    """Another structure import is running on this store."""


@dataclass
class ImportResult:
    import_id: str
    courses: list[str]
    blocks: int


def course_dir_name(course_id: str) -> str:
    """A file-system-safe, collision-free directory name for a course key."""
    return hashlib.sha256(course_id.encode()).hexdigest()[:24]


def table_rows(structure: CourseStructure) -> dict[str, list[dict[str, Any]]]:
    """The three tables' rows of one course (raises StructureError on a cycle)."""
    course = structure.course
    return {
        "blocks": outline(structure),
        "courses": [
            {
                "course_id": course.course_id,
                "name": course.name,
                "org": course.org,
                "number": course.number,
                "start_date": course.start_date,
                "end_date": course.end_date,
                "enrollment_start": course.enrollment_start,
                "enrollment_end": course.enrollment_end,
                "pacing": course.pacing,
            }
        ],
        "grading_policy": [
            {
                "course_id": course.course_id,
                "assignment_type": entry.assignment_type,
                "weight": entry.weight,
                "drop_count": entry.drop_count,
                "min_count": entry.min_count,
            }
            for entry in structure.grading_policy
        ],
    }


def arrow_tables(structure: CourseStructure) -> dict[str, pa.Table]:
    """The three tables of one course as Arrow tables of their schemas (StructureError on a cycle)."""
    return {
        table: pa.Table.from_pylist(rows, schema=SCHEMAS[table])
        for table, rows in table_rows(structure).items()
    }


class StructureStore:
    """The `structure/` directory of an event store root (HOME/store by default)."""

    def __init__(self, store_root: Path) -> None:
        self.root = Path(store_root) / "structure"
        self.pointer = self.root / "current.json"

    @contextmanager
    def locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as lock_file:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as error:
                raise StructureLockedError(f"another structure import is running on {self.root}") from error
            yield

    def current(self) -> dict[str, Any]:
        """The pointer: {"import_id", "imported_at", "courses": {course id: course dir relative path}}."""
        try:
            return json.loads(self.pointer.read_text())
        except FileNotFoundError:
            return {"import_id": None, "courses": {}, "history": []}

    def begin(self) -> Import:
        """A new import; write courses with `Import.add`, then `Import.commit` (or `abort`)."""
        import_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        return Import(self, import_id)

    def course_ids(self) -> list[str]:
        return sorted(self.current()["courses"])

    def files(self, table: str, course_ids: Sequence[str] | None = None) -> list[str]:
        """The current Parquet files of `table` (of `course_ids`, or of every course)."""
        if table not in TABLES:
            raise ValueError(f"no structure table {table!r}")
        courses = self.current()["courses"]
        wanted = sorted(courses) if course_ids is None else [c for c in course_ids if c in courses]
        return [str(self.root / courses[course_id] / f"{table}.parquet") for course_id in wanted]

    def relation(
        self, connection: duckdb.DuckDBPyConnection, table: str, course_ids: Sequence[str] | None = None
    ) -> duckdb.DuckDBPyRelation:
        """The current `table` (of some courses) as a DuckDB relation; empty with the table's columns."""
        files = self.files(table, course_ids)
        if not files:
            return connection.from_arrow(SCHEMAS[table].empty_table())
        return connection.read_parquet(files)

    def rows(self, table: str, course_id: str) -> list[dict[str, Any]]:
        """One course's current rows of `table` (blocks in sort_idx order), as dicts."""
        files = self.files(table, [course_id])
        if not files:
            return []
        return pq.read_table(files[0], schema=SCHEMAS[table]).to_pylist()

    def blocks(self, course_id: str) -> list[dict[str, Any]]:
        return self.rows("blocks", course_id)


class Import:
    """One import's files, made current all at once by `commit`."""

    def __init__(self, store: StructureStore, import_id: str) -> None:
        self.store = store
        self.import_id = import_id
        self.directory = store.root / import_id
        self.courses: dict[str, str] = {}
        self.blocks = 0

    def add(self, structure: CourseStructure) -> int:
        """Write one course's tables (a cycle raises before anything of it is written); returns its blocks."""
        return self.add_tables(structure.course_id, arrow_tables(structure))

    def add_tables(self, course_id: str, tables: dict[str, pa.Table]) -> int:
        """Write one course's tables as `arrow_tables` made them; returns its blocks."""
        relative = f"{self.import_id}/{course_dir_name(course_id)}"
        target = self.store.root / relative
        target.mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            temporary = target / f"{table}.parquet.tmp"
            pq.write_table(tables[table], temporary, compression="zstd")
            os.replace(temporary, target / f"{table}.parquet")
        self.courses[course_id] = relative
        self.blocks += tables["blocks"].num_rows
        return tables["blocks"].num_rows

    def commit(self) -> ImportResult:
        """Point `current.json` at this import's courses (the others keep theirs), atomically."""
        previous = self.store.current()
        courses = {**previous.get("courses", {}), **self.courses}
        history = [previous["import_id"], *previous.get("history", [])] if previous.get("import_id") else []
        pointer = {
            "import_id": self.import_id,
            "imported_at": datetime.now(UTC).isoformat(timespec="microseconds"),
            "courses": dict(sorted(courses.items())),
            "history": history[:1],
        }
        temporary = self.store.root / f"current.json.{self.import_id}.tmp"
        temporary.write_text(json.dumps(pointer, indent=1))
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, self.store.pointer)
        self._collect(previous, pointer)
        return ImportResult(self.import_id, sorted(self.courses), self.blocks)

    def abort(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def _collect(self, previous: dict[str, Any], pointer: dict[str, Any]) -> None:
        """Delete import directories neither the new pointer nor the previous one uses."""
        keep = {
            relative.split("/", 1)[0]
            for mapping in (previous.get("courses", {}), pointer["courses"])
            for relative in mapping.values()
        }
        for entry in self.store.root.iterdir():
            if entry.is_dir() and entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.name.endswith(".tmp") and time.time() - entry.stat().st_mtime > 3600:
                entry.unlink(missing_ok=True)


def import_structures(store: StructureStore, structures: Sequence[CourseStructure]) -> ImportResult:
    """Store these courses as one import: all of them current, or (on any error) none."""
    with store.locked():
        run = store.begin()
        try:
            for structure in structures:
                run.add(structure)
            return run.commit()
        except BaseException:
            run.abort()
            raise
