"""A course's outline as pages read it: sections → subsections → components, with result items placed.

Public building block (docs/modules.md): a module's page reads `course_outline(course)` and
places its result items (videos, problems…, named by whatever id form their rows carry) in the
outline with `Outline.tree`. Items the outline does not list (deleted from the course, or an
orphan block) go under one "(Deleted)" section and subsection, keyed `DELETED`, so that they
never vanish from a page. Without an imported structure, the outline is empty and every item
is "(Deleted)"; pages then keep their flat lists (`Outline.imported`).

The outline comes from the result store (the `course_structure` and `course_grading_policy`
tables the structure module publishes), as everything a page shows does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from django.utils.translation import gettext_lazy as _

from edinsights.structure.ids import BlockIndex

DELETED = "(deleted)"
"""The key of the section and subsection of items the outline does not list (no url_name has
parentheses, so it is no block's key)."""

DELETED_NAME = _("(Deleted)")

SECTION_TYPE = "chapter"
SUBSECTION_TYPE = "sequential"

_FIELDS = (
    "block_id",
    "block_name",
    "block_type",
    "display_name",
    "parent_block_id",
    "sort_idx",
    "graded",
    "format",
    "due",
    "course_path",
    "is_orphan",
)


@dataclass(frozen=True)
class OutlineBlock:
    block_id: str
    block_name: str
    block_type: str
    display_name: str
    parent_block_id: str | None
    sort_idx: int
    graded: bool
    format: str | None
    due: datetime | None
    course_path: str
    is_orphan: bool
    section: str | None = None
    """The `block_name` of the section (chapter) it is in (its own for a section), or None."""
    subsection: str | None = None
    """The `block_name` of the subsection (sequential) it is in (its own for one), or None."""

    @property
    def key(self) -> str:
        """Its key in page URLs (the block name: url_name or 32-hex id)."""
        return self.block_name


T = TypeVar("T")


@dataclass
class Leaf(Generic[T]):
    """A component of the wanted type: its block (None under "(Deleted)") and its result (None: none yet)."""

    key: str
    """The result's id when it has one, else the block's id: what a page links to."""
    name: str
    block: OutlineBlock | None
    result: T | None


@dataclass
class Node(Generic[T]):
    """A section or subsection with the components under it (in outline order)."""

    key: str
    name: str
    block: OutlineBlock | None
    """None for the "(Deleted)" node."""
    children: list[Node[T]] = field(default_factory=list)
    """Subsections of a section (empty for a subsection)."""
    leaves: list[Leaf[T]] = field(default_factory=list)
    """Every component under it, a section's through its subsections."""

    @property
    def results(self) -> list[T]:
        return [leaf.result for leaf in self.leaves if leaf.result is not None]

    def child(self, key: str) -> Node[T] | None:
        return next((node for node in self.children if node.key == key), None)


@dataclass(frozen=True)
class AssignmentType:
    name: str
    weight: float
    """Fraction of the grade (0.2: 20 %)."""
    drop_count: int


class Outline:
    """One course's imported outline and grading policy (empty when none was imported)."""

    def __init__(
        self,
        course_id: str,
        rows: Iterable[dict[str, object]],
        policy: Iterable[AssignmentType] = (),
    ) -> None:
        self.course_id = course_id
        self.blocks: list[OutlineBlock] = []
        self._containers: dict[str, OutlineBlock] = {}
        by_id: dict[str, OutlineBlock] = {}
        # Rows come in pre-order, so a block's parent is placed before it.
        for row in sorted(rows, key=lambda row: (int(row["sort_idx"]), str(row["block_id"]))):  # type: ignore[call-overload]
            parent = by_id.get(str(row["parent_block_id"])) if row["parent_block_id"] else None
            name, kind = row["block_name"], row["block_type"]
            section = name if kind == SECTION_TYPE else parent and parent.section
            subsection = name if kind == SUBSECTION_TYPE else parent and parent.subsection
            block = OutlineBlock(**{**row, "section": section, "subsection": subsection})  # type: ignore[arg-type]
            by_id[block.block_id] = block
            self.blocks.append(block)
            if kind in (SECTION_TYPE, SUBSECTION_TYPE):
                self._containers.setdefault(str(name), block)
        self._by_id = by_id
        self._index = BlockIndex(
            {"block_id": b.block_id, "block_name": b.block_name, "block_type": b.block_type}
            for b in self.blocks
        )
        self.grading_policy = [entry for entry in policy if entry.weight > 0]
        """Assignment types that count (the original drops empty ones), in stored order."""

    @property
    def imported(self) -> bool:
        return bool(self.blocks)

    def find(self, item_id: str) -> OutlineBlock | None:
        """The block an event or result id names (any id form, structure.ids), or None."""
        found = self._index.find(item_id)
        return None if found is None else self._by_id[found["block_id"]]

    def placed(self, item_id: str) -> OutlineBlock | None:
        """The block of `item_id` if the outline places it (an orphan is not placed)."""
        block = self.find(item_id)
        return None if block is None or block.is_orphan else block

    def sections(self) -> list[OutlineBlock]:
        return [block for block in self.blocks if block.block_type == SECTION_TYPE and not block.is_orphan]

    def container(self, key: str) -> OutlineBlock | None:
        """The section or subsection whose key (block name) is `key`."""
        return self._containers.get(key)

    def name(self, item_id: str, fallback: str) -> str:
        block = self.find(item_id)
        return block.display_name if block is not None and block.display_name else fallback

    def tree(
        self,
        results: dict[str, T],
        block_types: Iterable[str],
        *,
        graded: bool | None = None,
    ) -> list[Node[T]]:
        """Sections → subsections → components of `block_types` (graded or not, or both when None),
        each component with its result from `results` (keyed by any id form) or None.

        Sections and subsections without such components are left out. Results the outline
        does not place, or places under a block of another gradedness, are leaves of a last
        "(Deleted)" section with one "(Deleted)" subsection, in their key order.
        """
        types = set(block_types)
        result_for: dict[str, tuple[str, T | None]] = {}
        unplaced: list[tuple[str, T | None]] = []
        for item_id, result in sorted(results.items()):
            block = self.placed(item_id)
            if block is None or block.block_type not in types:
                unplaced.append((item_id, result))
            elif block.block_id not in result_for:
                result_for[block.block_id] = (item_id, result)
            else:  # two ids of one block (a bare id and its usage key): keep the first, show the other
                unplaced.append((item_id, result))
        sections: dict[str, Node[T]] = {}
        subsections: dict[tuple[str, str], Node[T]] = {}
        for block in self.blocks:
            if block.block_type not in types or block.is_orphan:
                continue
            if graded is not None and block.graded != graded:
                if block.block_id in result_for:
                    unplaced.append(result_for.pop(block.block_id))
                continue
            section_key = block.section or DELETED
            subsection_key = block.subsection or DELETED
            section = sections.get(section_key)
            if section is None:
                section = sections[section_key] = self._node(section_key)
            subsection = subsections.get((section_key, subsection_key))
            if subsection is None:
                subsection = subsections[(section_key, subsection_key)] = self._node(subsection_key)
                section.children.append(subsection)
            leaf_key, found = result_for.get(block.block_id) or (block.block_id, None)
            leaf = Leaf(leaf_key, block.display_name or block.block_name, block, found)
            section.leaves.append(leaf)
            subsection.leaves.append(leaf)
        nodes = list(sections.values())
        if unplaced:
            deleted: Node[T] = Node(DELETED, str(DELETED_NAME), None)
            gone: Node[T] = Node(DELETED, str(DELETED_NAME), None)
            deleted.children.append(gone)
            for gone_id, gone_result in sorted(unplaced, key=lambda pair: pair[0]):
                leaf = Leaf(gone_id, self.name(gone_id, gone_id), None, gone_result)
                deleted.leaves.append(leaf)
                gone.leaves.append(leaf)
            nodes.append(deleted)
        return nodes

    def _node(self, key: str) -> Node[T]:
        block = self._containers.get(key)
        if block is None:
            return Node(key, str(DELETED_NAME), None)
        return Node(key, block.display_name or block.block_name, block)


def course_outline(course_id: str) -> Outline:
    """The course's outline and grading policy as last published (empty when never imported)."""
    from edinsights.structure.models import CourseBlock, GradingPolicyEntry

    rows = list(CourseBlock.objects.filter(course_id=course_id).order_by("sort_idx").values(*_FIELDS))
    policy = [
        AssignmentType(entry.assignment_type, entry.weight, entry.drop_count)
        for entry in GradingPolicyEntry.objects.filter(course_id=course_id).order_by("id")
    ]
    return Outline(course_id, rows, policy)
