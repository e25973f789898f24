"""bench/resultgen.py, the dashboard and API benchmarks' results: at a tiny size, published through
the real loader, its outline places the results it makes (and leaves out the ones it means to)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
COURSES, DAYS = 3, 5


@pytest.fixture(scope="module")
def resultgen() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module("resultgen")
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture(scope="module")
def published(resultgen: ModuleType, result_db: str) -> str:
    assert resultgen.publish_all(COURSES, DAYS, using=result_db) > 0
    return result_db


def _outline(alias: str, course: str) -> Any:
    from edinsights.structure.models import CourseBlock, GradingPolicyEntry
    from edinsights.structure.outline import _FIELDS, AssignmentType, Outline

    rows = CourseBlock.objects.using(alias).filter(course_id=course).values(*_FIELDS)
    policy = [
        AssignmentType(entry.assignment_type, entry.weight, entry.drop_count)
        for entry in GradingPolicyEntry.objects.using(alias).filter(course_id=course).order_by("id")
    ]
    return Outline(course, list(rows), policy)


@pytest.mark.parametrize("number", range(COURSES))
def test_outline_places_the_results(resultgen: ModuleType, published: str, number: int) -> None:
    from edinsights.families.problems.models import ProblemSummary
    from edinsights.families.video.models import Video
    from edinsights.structure.outline import DELETED

    course = resultgen.course_id(number)
    outline = _outline(published, course)
    videos = {row.encoded_module_id: row for row in Video.objects.using(published).filter(course_id=course)}
    problems = {
        row.module_id: row for row in ProblemSummary.objects.using(published).filter(course_id=course)
    }
    assert len(videos) == 20 and len(problems) == 30
    video_plan = [block for _c, block, _n in resultgen._video_plan(1, number, 20, 100)]
    problem_plan = [module for _c, module, _b, _p in resultgen._problem_plan(1, number, 30)]

    tree = outline.tree(videos, {"video"})
    placed = [leaf.key for node in tree if node.key != DELETED for leaf in node.leaves if leaf.result]
    assert sorted(placed) == sorted(video_plan[:-1])
    assert tree[-1].key == DELETED and [leaf.key for leaf in tree[-1].leaves] == video_plan[-1:]
    # Videos without results are in the outline too.
    assert sum(1 for node in tree for leaf in node.leaves if leaf.result is None) == resultgen.SECTIONS

    tree = outline.tree(problems, {"problem"})
    placed = [leaf.key for node in tree if node.key != DELETED for leaf in node.leaves if leaf.result]
    assert sorted(placed) == sorted(problem_plan[:-2])
    assert sorted(leaf.key for leaf in tree[-1].leaves) == sorted(problem_plan[-2:])  # orphan, unknown
    assert outline.find(problem_plan[-2]).is_orphan and outline.find(problem_plan[-1]) is None
    for node in tree[:-1]:  # the problems' names: the results' display names
        for leaf in node.leaves:
            if leaf.result is not None:
                assert leaf.name == leaf.result.problem_display_name

    # Graded subsections: each has a problem with results, of a type the policy weighs.
    weighed = {entry.name for entry in outline.grading_policy}
    assert weighed == {"Homework", "Lab", "Exam"}  # "Practice" weighs 0
    graded = outline.tree(problems, {"problem"}, graded=True)
    subsections = [child for node in graded if node.key != DELETED for child in node.children]
    expected = [
        (section, sub)
        for section in range(resultgen.SECTIONS)
        for sub in range(resultgen.SUBSECTIONS)
        if resultgen._graded_format(section, sub)
    ]
    assert len(subsections) == len(expected) == 16
    for child in subsections:
        assert child.block.format in weighed and child.results
        assert all(leaf.block.graded for leaf in child.leaves)
    formats = [child.block.format for child in subsections]
    assert (formats.count("Homework"), formats.count("Lab"), formats.count("Exam")) == (10, 4, 2)


def test_outline_rows_are_a_preorder_tree(resultgen: ModuleType, published: str) -> None:
    from edinsights.structure.models import CourseBlock

    rows = list(CourseBlock.objects.using(published).filter(course_id=resultgen.course_id(1)).values())
    by_id = {row["block_id"]: row for row in rows}
    assert len(by_id) == len(rows)
    counts = {
        kind: sum(row["block_type"] == kind for row in rows)
        for kind in ("chapter", "sequential", "vertical", "html")
    }
    assert counts == {"chapter": 10, "sequential": 40, "vertical": 200, "html": 200}
    assert sorted(row["sort_idx"] for row in rows if not row["is_orphan"]) == list(range(len(rows) - 1))
    for row in rows:
        assert row["block_id"].endswith("+block@" + row["block_name"])
        if row["is_orphan"]:
            assert row["sort_idx"] == len(rows) and row["parent_block_id"] is None
            assert row["course_path"] == "(Deleted block :)"
            continue
        names = []
        parent = by_id.get(row["parent_block_id"] or "")
        if parent is not None:
            assert parent["sort_idx"] < row["sort_idx"]
            assert row["graded"] == (parent["graded"] or row["format"] is not None)
        while parent is not None:
            names.insert(0, parent["display_name"])
            parent = by_id.get(parent["parent_block_id"] or "")
        assert row["course_path"] == " / ".join(names)


def test_summaries_fill_every_column(resultgen: ModuleType, published: str) -> None:
    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment

    fields = [f for f in CourseMetaSummaryEnrollment._meta.concrete_fields if f.name not in ("id", "created")]
    rows = list(CourseMetaSummaryEnrollment.objects.using(published).values())
    assert len(rows) == COURSES * len(resultgen.MODES)
    for field in fields:
        if not field.null:
            assert all(row[field.attname] is not None for row in rows), field.name
    assert {row["catalog_course_title"] for row in rows} == {f"Course {n}" for n in range(COURSES)}
