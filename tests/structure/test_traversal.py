"""The outline rules (original §2.9), table-driven: pre-order, parents, paths, orphans, DAG blocks, cycles."""

from __future__ import annotations

import pytest

from edinsights.structure.model import Block, CourseInfo, CourseStructure, StructureError
from edinsights.structure.traversal import find_cycle, inherit, outline


def course(tree: dict[str, list[str]], root: str = "abc") -> CourseStructure:
    """Blocks named by their id; the display name is the id in capitals."""
    blocks = {name: Block(name, "block", name.upper(), list(children)) for name, children in tree.items()}
    return CourseStructure(CourseInfo("course-v1:T+T+T"), root, blocks)


def rows_of(tree: dict[str, list[str]]) -> list[tuple]:
    return [
        (
            r["block_id"],
            r["is_root"],
            r["is_orphan"],
            r["is_dag"],
            r["parent_block_id"],
            r["course_path"],
            r["sort_idx"],
        )
        for r in outline(course(tree))
    ]


CASES = {
    "a single block": (
        {"abc": []},
        [("abc", True, False, False, None, "", 0)],
    ),
    # The original's own example tree: jkl has two parents (def, mno), ghi is reached by nothing.
    "original example": (
        {
            "abc": ["def", "stu"],
            "def": ["jkl", "mno"],
            "jkl": ["vwx"],
            "mno": ["pqr", "jkl"],
            "pqr": [],
            "stu": [],
            "vwx": [],
            "ghi": [],
        },
        [
            ("abc", True, False, False, None, "", 0),
            ("def", False, False, False, "abc", "ABC", 1),
            ("jkl", False, False, True, "def", "ABC / DEF", 2),
            ("vwx", False, False, False, "jkl", "ABC / DEF / JKL", 3),
            ("mno", False, False, False, "def", "ABC / DEF", 4),
            ("pqr", False, False, False, "mno", "ABC / DEF / MNO", 5),
            ("stu", False, False, False, "abc", "ABC", 6),
            ("ghi", False, True, False, None, "(Deleted block :)", 8),
        ],
    ),
    "children order, not id order": (
        {"abc": ["zz", "aa"], "zz": ["mm"], "aa": [], "mm": []},
        [
            ("abc", True, False, False, None, "", 0),
            ("zz", False, False, False, "abc", "ABC", 1),
            ("mm", False, False, False, "zz", "ABC / ZZ", 2),
            ("aa", False, False, False, "abc", "ABC", 3),
        ],
    ),
    "a DAG block reached later under a deeper parent keeps its first placement": (
        {"abc": ["x", "a"], "a": ["x"], "x": []},
        [
            ("abc", True, False, False, None, "", 0),
            ("x", False, False, True, "abc", "ABC", 1),
            ("a", False, False, False, "abc", "ABC", 2),
        ],
    ),
    "a DAG block's subtree is placed once": (
        {"abc": ["a", "b"], "a": ["s"], "b": ["s"], "s": ["leaf"], "leaf": []},
        [
            ("abc", True, False, False, None, "", 0),
            ("a", False, False, False, "abc", "ABC", 1),
            ("s", False, False, True, "a", "ABC / A", 2),
            ("leaf", False, False, False, "s", "ABC / A / S", 3),
            ("b", False, False, False, "abc", "ABC", 4),
        ],
    ),
    "a child listed twice by one parent is a DAG block": (
        {"abc": ["a", "a"], "a": []},
        [("abc", True, False, False, None, "", 0), ("a", False, False, True, "abc", "ABC", 1)],
    ),
    "an orphan's subtree is orphaned too, sorted by id after the outline": (
        {"abc": ["a"], "a": [], "o2": ["o1"], "o1": []},
        [
            ("abc", True, False, False, None, "", 0),
            ("a", False, False, False, "abc", "ABC", 1),
            ("o1", False, True, False, None, "(Deleted block :)", 4),
            ("o2", False, True, False, None, "(Deleted block :)", 4),
        ],
    ),
    "children the course does not hold are ignored": (
        {"abc": ["gone", "a"], "a": []},
        [("abc", True, False, False, None, "", 0), ("a", False, False, False, "abc", "ABC", 1)],
    ),
}


@pytest.mark.parametrize(("tree", "expected"), CASES.values(), ids=CASES.keys())
def test_outline(tree: dict[str, list[str]], expected: list[tuple]) -> None:
    assert rows_of(tree) == expected


CYCLES = {
    "a block its own child": ({"abc": ["a"], "a": ["a"]}, ["a", "a"]),
    "back to the root": ({"abc": ["a"], "a": ["b"], "b": ["abc"]}, ["abc", "a", "b", "abc"]),
    "among orphans": ({"abc": [], "o1": ["o2"], "o2": ["o1"]}, ["o1", "o2", "o1"]),
}


@pytest.mark.parametrize(("tree", "cycle"), CYCLES.values(), ids=CYCLES.keys())
def test_cycles_are_errors_naming_the_course(tree: dict[str, list[str]], cycle: list[str]) -> None:
    assert find_cycle(course(tree)) == cycle
    with pytest.raises(
        StructureError, match=r"^course-v1:T\+T\+T: the block tree has a cycle: " + " -> ".join(cycle)
    ):
        outline(course(tree))


def test_a_deep_chain_needs_no_recursion() -> None:
    depth = 5000
    tree = {f"b{i}": [f"b{i + 1}"] for i in range(depth)} | {f"b{depth}": []}
    rows = outline(course(tree, root="b0"))
    assert [row["sort_idx"] for row in rows] == list(range(depth + 1))
    assert rows[-1]["course_path"].count(" / ") == depth - 1


def test_a_missing_root_is_an_error() -> None:
    with pytest.raises(StructureError, match="course block nowhere is not among its blocks"):
        outline(course({"abc": []}, root="nowhere"))


@pytest.mark.parametrize(
    ("tree", "inherits_from_a"),
    [
        ({"abc": ["a", "x"], "a": ["x"], "x": [], "o": []}, True),  # x placed under a first
        ({"abc": ["x", "a"], "a": ["x"], "x": [], "o": []}, False),  # x placed under abc first
    ],
)
def test_inheritance_follows_the_first_placement(tree: dict[str, list[str]], inherits_from_a: bool) -> None:
    from datetime import datetime

    structure = course(tree)
    structure.blocks["abc"].start = datetime(2024, 1, 1)
    structure.blocks["a"].due = datetime(2024, 2, 1)
    structure.blocks["a"].graded = True
    structure.blocks["o"].children = []
    inherit(structure)
    x = structure.blocks["x"]
    expected = (True, datetime(2024, 2, 1)) if inherits_from_a else (False, None)
    assert (x.graded, x.due, x.start) == (*expected, datetime(2024, 1, 1))
    assert structure.blocks["o"].start is None  # an orphan inherits nothing
