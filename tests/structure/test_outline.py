"""The outline pages read (structure.outline): sections and subsections of each block, results
placed whatever their id form, and "(Deleted)" for what the outline does not place."""

from __future__ import annotations

from typing import Any

import pytest

from edinsights.structure.outline import DELETED, Outline

COURSE = "course-v1:O+C+R"

pytestmark = pytest.mark.usefixtures("django_home")  # "(Deleted)" is translated


def key(kind: str, name: str) -> str:
    return f"block-v1:O+C+R+type@{kind}+block@{name}"


# (type, name, parent name or None, graded, extra): in pre-order, as the import stores them.
OUTLINE = [
    ("course", "course", None, False, {}),
    ("chapter", "ch1", "course", False, {}),
    ("sequential", "s11", "ch1", False, {}),
    ("vertical", "v111", "s11", False, {}),
    ("video", "a" * 32, "v111", False, {}),
    ("problem", "p1", "v111", False, {}),
    ("sequential", "s12", "ch1", True, {"format": "Homework"}),
    ("vertical", "v121", "s12", True, {}),
    ("problem", "p2", "v121", True, {}),
    ("video", "b" * 32, "v121", True, {}),
    ("chapter", "ch2", "course", False, {}),
    ("sequential", "s21", "ch2", False, {}),
    ("vertical", "v211", "s21", False, {}),
    ("html", "h1", "v211", False, {}),
    ("problem", "orphan", None, False, {"is_orphan": True}),
]


def rows() -> list[dict[str, Any]]:
    found = []
    for index, (kind, name, parent, graded, extra) in enumerate(OUTLINE):
        parent_kind = next((k for k, n, *_ in OUTLINE if n == parent), None)
        found.append(
            {
                "block_id": key(kind, name),
                "block_name": name,
                "block_type": kind,
                "display_name": name.upper() if len(name) < 32 else f"Video {name[0]}",
                "parent_block_id": key(parent_kind, parent) if parent and parent_kind else None,
                "sort_idx": len(OUTLINE) if extra.get("is_orphan") else index,
                "graded": graded,
                "format": extra.get("format"),
                "due": None,
                "course_path": "",
                "is_orphan": bool(extra.get("is_orphan")),
            }
        )
    return list(reversed(found))  # the order rows come in does not matter


def outline() -> Outline:
    return Outline(COURSE, rows())


def shape(nodes) -> list:  # type: ignore[no-untyped-def]
    return [
        (node.key, [(sub.key, [(leaf.key, leaf.result) for leaf in sub.leaves]) for sub in node.children])
        for node in nodes
    ]


def test_every_block_knows_its_section_and_subsection() -> None:
    found = outline()
    assert found.imported
    assert [section.key for section in found.sections()] == ["ch1", "ch2"]
    assert found.find(key("problem", "p2")).section == "ch1"  # type: ignore[union-attr]
    assert found.find(key("problem", "p2")).subsection == "s12"  # type: ignore[union-attr]
    assert found.find(key("chapter", "ch2")).subsection is None  # type: ignore[union-attr]
    assert found.container("s21").display_name == "S21"  # type: ignore[union-attr]
    assert found.container("nope") is None


@pytest.mark.parametrize(
    ("results", "types", "graded", "expected"),
    [
        # Videos by bare 32-hex ids (as the player sends them); the one without results is listed too.
        (
            {"a" * 32: 5},
            {"video"},
            None,
            [
                ("ch1", [("s11", [("a" * 32, 5)]), ("s12", [(key("video", "b" * 32), None)])]),
            ],
        ),
        # Problems by usage key and by i4x location; ungraded only: p2 is graded.
        (
            {key("problem", "p1"): 1, "i4x://O/C/problem/p2": 2},
            {"problem"},
            False,
            [
                ("ch1", [("s11", [(key("problem", "p1"), 1)])]),
                (DELETED, [(DELETED, [("i4x://O/C/problem/p2", 2)])]),
            ],
        ),
        # Graded only; an orphan's results and an unknown id go under (Deleted), in key order.
        (
            {"i4x://O/C/problem/p2": 2, key("problem", "orphan"): 3, key("problem", "gone"): 4},
            {"problem"},
            True,
            [
                ("ch1", [("s12", [("i4x://O/C/problem/p2", 2)])]),
                (DELETED, [(DELETED, [(key("problem", "gone"), 4), (key("problem", "orphan"), 3)])]),
            ],
        ),
        # Two ids of one block: the first (in key order) is placed, the other shown, not merged.
        (
            {"a" * 32: 1, key("video", "a" * 32): 2},
            {"video"},
            False,
            [
                ("ch1", [("s11", [("a" * 32, 1)])]),
                (DELETED, [(DELETED, [(key("video", "a" * 32), 2)])]),
            ],
        ),
    ],
)
def test_results_are_placed_in_the_outline(results, types, graded, expected) -> None:  # type: ignore[no-untyped-def]
    assert shape(outline().tree(results, types, graded=graded)) == expected


def test_names_and_section_totals() -> None:
    tree = outline().tree({key("problem", "p1"): 1, key("problem", "p2"): 2}, {"problem"})
    first = tree[0]
    assert (first.name, [sub.name for sub in first.children]) == ("CH1", ["S11", "S12"])
    assert first.results == [1, 2]
    assert first.child("s12").leaves[0].name == "P2"  # type: ignore[union-attr]
    assert first.child("nope") is None


def test_without_a_structure_everything_is_deleted_and_named_by_its_id() -> None:
    empty = Outline(COURSE, [])
    assert not empty.imported and empty.sections() == [] and empty.grading_policy == []
    assert shape(empty.tree({"x": 1}, {"video"})) == [(DELETED, [(DELETED, [("x", 1)])])]
    assert empty.tree({}, {"video"}) == []
