"""The structure module publishes the current import into the result store, on every backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from edinsights.config import Settings
from edinsights.structure.importer import import_olx
from edinsights.structure.storage import StructureStore
from edinsights.testing import event_line, published
from tests.structure import olx_fixture

pytestmark = pytest.mark.usefixtures("django_home")

# Any event: the metrics run over an event store that has some (they read only the structure).
LINES = [event_line(context={"course_id": olx_fixture.COURSE_ID, "user_id": 1, "org_id": "x", "path": "/"})]


def imported(tmp_path: Path) -> StructureStore:
    store = StructureStore(Settings.load(tmp_path / "home").store_path)
    import_olx(store, [olx_fixture.write_directory(tmp_path / "export")], workers=1)
    return store


def test_the_outline_is_published_as_imported(tmp_path: Path, result_db: str) -> None:
    from edinsights.structure.models import CourseBlock

    store = imported(tmp_path)
    rows = published(tmp_path, LINES, "course_structure", result_db)
    stored = store.blocks(olx_fixture.COURSE_ID)
    assert len(rows) == len(stored) > 20
    by_id = {row["block_id"]: row for row in rows}
    for block in stored:
        row = by_id[block["block_id"]]
        for column in ("block_type", "display_name", "parent_block_id", "sort_idx", "course_path"):
            assert row[column] == block[column], (block["block_id"], column)
        for column in ("is_root", "is_orphan", "is_dag", "graded"):
            assert bool(row[column]) == block[column], (block["block_id"], column)
        assert (row["due"] is None) == (block["due"] is None)
        if block["due"] is not None:
            assert row["due"].replace(tzinfo=None) == block["due"]
    # Pre-order as stored: the API and the pages read it back by sort_idx.
    ordered = (
        CourseBlock.objects.using(result_db).filter(course_id=olx_fixture.COURSE_ID).order_by("sort_idx")
    )
    assert [block.block_id for block in ordered][: len(stored)] == [
        block["block_id"]
        for block in sorted(stored, key=lambda block: (block["sort_idx"], block["block_id"]))
    ]


def test_the_grading_policy_is_published_as_imported(tmp_path: Path, result_db: str) -> None:
    store = imported(tmp_path)
    rows = published(tmp_path, LINES, "course_grading_policy", result_db)
    expected = sorted(
        store.rows("grading_policy", olx_fixture.COURSE_ID), key=lambda row: row["assignment_type"]
    )
    assert [{k: row[k] for k in expected[0]} for row in rows] == expected
    assert sum(row["weight"] for row in rows) == pytest.approx(1.0)


def test_without_an_import_the_tables_are_empty(tmp_path: Path, result_db: str) -> None:
    assert published(tmp_path, LINES, "course_structure", result_db) == []
