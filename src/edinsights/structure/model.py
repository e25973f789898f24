"""The records an import produces, whatever it read: blocks, the catalog entry, the grading policy.

A `CourseStructure` is one course as a reader found it: its blocks keyed by usage key with their
children in order (the tree, possibly a DAG, possibly with blocks no path reaches), its catalog
fields and its grader entries. traversal.py turns it into the stored rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime


class StructureError(Exception):
    """An input that cannot become a structure; the message is one line naming the course and the cause."""


@dataclass
class Block:
    block_id: str
    """The block's usage key as the LMS spells it (`block-v1:…`, `i4x://…`, `ccx-block-v1:…`)."""
    block_type: str
    display_name: str
    children: list[str] = field(default_factory=list)
    graded: bool = False
    format: str | None = None
    """The assignment type of a graded subsection (`Homework`, `Exam`, …)."""
    due: datetime | None = None
    start: datetime | None = None


@dataclass
class CourseInfo:
    """The catalog entry of a course (the Courses API's fields, or course.xml and policy.json)."""

    course_id: str
    name: str | None = None
    org: str | None = None
    number: str | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    enrollment_start: datetime | None = None
    enrollment_end: datetime | None = None
    pacing: str | None = None
    """`instructor` or `self`."""


@dataclass(frozen=True)
class GraderEntry:
    """One assignment type of the grading policy."""

    assignment_type: str
    weight: float
    drop_count: int
    min_count: int


@dataclass
class CourseStructure:
    course: CourseInfo
    root: str
    """The usage key of the course block."""
    blocks: dict[str, Block]
    grading_policy: list[GraderEntry] = field(default_factory=list)

    @property
    def course_id(self) -> str:
        return self.course.course_id


def parse_datetime(value: object) -> datetime | None:
    """An ISO-8601 date or time from an API or OLX value → naive UTC (None for empty or null).

    OLX writes some dates JSON-quoted (`start="&quot;2024-01-01T00:00&quot;"`); a value without an
    offset is UTC, as the LMS stores it. A value that is no date raises ValueError.
    """
    if value is None:
        return None
    text = str(value).strip().strip('"').strip()
    if not text or text.lower() in {"null", "none"}:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment
