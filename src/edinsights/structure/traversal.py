"""The outline: pre-order positions, parents, course paths, orphans and DAG blocks (as the original §2.9).

From the course root, depth first, following each block's `children` in order: the root gets
`sort_idx` 0 and every block reached for the first time the next number, its parent and the
display names of its ancestors from the root to the parent (`course_path`, joined with " / ").
A block listed as a child more than once (more than one parent, or twice in one) is `is_dag`
and keeps its first placement. A block no path from the root reaches is `is_orphan`: no parent,
`course_path` "(Deleted block :)", `sort_idx` the number of blocks (so orphans sort last).
A block that is its own ancestor is a cycle: a StructureError naming the course and the block.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from edinsights.structure.model import CourseStructure, StructureError

ORPHAN_PATH = "(Deleted block :)"
PATH_SEPARATOR = " / "

BLOCK_COLUMNS = (
    "course_id",
    "block_id",
    "block_name",
    "block_type",
    "display_name",
    "parent_block_id",
    "sort_idx",
    "is_root",
    "is_orphan",
    "is_dag",
    "course_path",
    "graded",
    "format",
    "due",
    "start",
)


def block_name(block_id: str) -> str:
    """The last part of a usage key (its url_name / 32-hex id), what bare ids in events match."""
    for marker in ("+block@", "@"):
        if marker in block_id:
            return block_id.rsplit(marker, 1)[1]
    return block_id.rstrip("/").rsplit("/", 1)[-1]


def find_cycle(structure: CourseStructure) -> list[str] | None:
    """A chain of block ids closing on itself, or None (every block checked, orphans too)."""
    blocks = structure.blocks
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in [structure.root, *blocks]:
        if start in state or start not in blocks:
            continue
        path = [start]
        iterators = [iter(blocks[start].children)]
        state[start] = 1
        while iterators:
            child = next(iterators[-1], None)
            if child is None:
                state[path.pop()] = 2
                iterators.pop()
                continue
            if child not in blocks:
                continue
            if state.get(child) == 1:
                return [*path[path.index(child) :], child]
            if child not in state:
                state[child] = 1
                path.append(child)
                iterators.append(iter(blocks[child].children))
    return None


def outline(structure: CourseStructure) -> list[dict[str, Any]]:
    """The course's block rows in `sort_idx` order (orphans last, by block id)."""
    blocks = structure.blocks
    course_id = structure.course_id
    if structure.root not in blocks:
        raise StructureError(f"{course_id}: the course block {structure.root} is not among its blocks")
    cycle = find_cycle(structure)
    if cycle:
        raise StructureError(f"{course_id}: the block tree has a cycle: {' -> '.join(cycle)}")
    references = Counter(child for block in blocks.values() for child in block.children if child in blocks)
    placed: dict[str, tuple[int, str | None, str]] = {}
    # Depth first without recursion (a deep chain must not hit Python's stack limit): each stack
    # entry is a block to place with its parent and the path of names down to that parent.
    stack: list[tuple[str, str | None, str]] = [(structure.root, None, "")]
    while stack:
        block_id, parent, path = stack.pop()
        if block_id in placed:
            continue
        placed[block_id] = (len(placed), parent, path)
        name = blocks[block_id].display_name or ""
        child_path = name if parent is None else f"{path}{PATH_SEPARATOR}{name}"
        for child in reversed(blocks[block_id].children):
            if child in blocks and child not in placed:
                stack.append((child, block_id, child_path))
    total = len(blocks)
    rows = []
    for block_id, block in blocks.items():
        position = placed.get(block_id)
        orphan = position is None
        sort_idx, parent, path = (total, None, ORPHAN_PATH) if position is None else position
        rows.append(
            {
                "course_id": course_id,
                "block_id": block_id,
                "block_name": block_name(block_id),
                "block_type": block.block_type,
                "display_name": block.display_name,
                "parent_block_id": parent,
                "sort_idx": sort_idx,
                "is_root": block_id == structure.root,
                "is_orphan": orphan,
                "is_dag": references[block_id] > 1,
                "course_path": path,
                "graded": block.graded,
                "format": block.format,
                "due": block.due,
                "start": block.start,
            }
        )
    rows.sort(key=lambda row: (row["sort_idx"], row["block_id"]))
    return rows


def inherit(structure: CourseStructure) -> None:
    """Give children the `graded`, `due` and `start` their ancestors set and they do not (OLX).

    The LMS's blocks carry inherited values already (these fields are inheritable in Open edX);
    an OLX export writes each value once, where it was set. A DAG block inherits along its first
    placement; orphans keep their own values.
    """
    blocks = structure.blocks
    if structure.root not in blocks:
        return
    seen: set[str] = set()
    # Applied when a block is placed (popped), from the parent it is placed under, so that a DAG
    # block inherits from its first placement in pre-order, as outline() places it.
    stack: list[tuple[str, str | None]] = [(structure.root, None)]
    while stack:
        block_id, parent_id = stack.pop()
        if block_id in seen:
            continue
        seen.add(block_id)
        block = blocks[block_id]
        if parent_id is not None:
            parent = blocks[parent_id]
            block.graded = block.graded or parent.graded
            block.due = block.due if block.due is not None else parent.due
            block.start = block.start if block.start is not None else parent.start
        for child_id in reversed(block.children):
            if child_id in blocks and child_id not in seen:
                stack.append((child_id, block_id))
