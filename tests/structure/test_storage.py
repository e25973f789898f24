"""The stored tables: versioned per import, a pointer replaced only once every file is written."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from edinsights.structure.model import StructureError
from edinsights.structure.olx import read_olx
from edinsights.structure.storage import (
    SCHEMAS,
    StructureLockedError,
    StructureStore,
    import_structures,
    table_rows,
)
from tests.structure import olx_fixture
from tests.structure.olx_fixture import COURSE_ID, EXPECTED_ORDER


@pytest.fixture
def structure(tmp_path: Path):  # type: ignore[no-untyped-def]
    return read_olx(olx_fixture.write_directory(tmp_path / "export"))


def test_an_import_is_read_back_as_written(tmp_path: Path, structure) -> None:  # type: ignore[no-untyped-def]
    store = StructureStore(tmp_path / "store")
    result = import_structures(store, [structure])
    assert (result.courses, result.blocks) == ([COURSE_ID], len(EXPECTED_ORDER))
    expected = table_rows(structure)
    for table in ("blocks", "courses", "grading_policy"):
        assert store.rows(table, COURSE_ID) == expected[table]
    pointer = json.loads((tmp_path / "store" / "structure" / "current.json").read_text())
    assert pointer["import_id"] == result.import_id
    course_dir = tmp_path / "store" / "structure" / pointer["courses"][COURSE_ID]
    assert sorted(path.name for path in course_dir.iterdir()) == [
        "blocks.parquet",
        "courses.parquet",
        "grading_policy.parquet",
    ]


def test_duckdb_relations_over_the_current_courses(tmp_path: Path, structure) -> None:  # type: ignore[no-untyped-def]
    store = StructureStore(tmp_path / "store")
    connection = duckdb.connect()
    empty = store.relation(connection, "blocks")
    assert empty.columns == SCHEMAS["blocks"].names and empty.fetchall() == []
    import_structures(store, [structure])
    relation = store.relation(connection, "blocks", [COURSE_ID])
    graded = relation.filter("graded AND block_type = 'problem'").order("sort_idx").project("block_name")
    assert graded.fetchall() == [("p_choice",), ("p_shared",)]
    assert store.relation(connection, "courses").project("pacing").fetchall() == [("self",)]


def test_a_later_import_of_other_courses_keeps_the_first(tmp_path: Path, structure) -> None:  # type: ignore[no-untyped-def]
    store = StructureStore(tmp_path / "store")
    import_structures(store, [structure])
    other = read_olx(olx_fixture.write_directory(tmp_path / "other"), course_id="course-v1:X+Y+Z")
    import_structures(store, [other])
    assert store.course_ids() == [COURSE_ID, "course-v1:X+Y+Z"]
    assert len(store.blocks(COURSE_ID)) == len(store.blocks("course-v1:X+Y+Z")) == len(EXPECTED_ORDER)


def test_a_failed_import_keeps_the_previous_structure(tmp_path: Path, structure) -> None:  # type: ignore[no-untyped-def]
    store = StructureStore(tmp_path / "store")
    first = import_structures(store, [structure])
    before = store.blocks(COURSE_ID)
    changed = read_olx(olx_fixture.write_directory(tmp_path / "changed"))
    changed.blocks[changed.root].display_name = "Renamed"
    cyclic = read_olx(olx_fixture.write_directory(tmp_path / "cyclic"), course_id="course-v1:X+Y+Z")
    vertical = next(block for block in cyclic.blocks.values() if block.block_type == "vertical")
    vertical.children.append(cyclic.root)
    # The changed course is written whole before the cyclic one fails: none of it may show.
    with pytest.raises(StructureError, match="cycle"):
        import_structures(store, [changed, cyclic])
    assert store.current()["import_id"] == first.import_id
    assert store.blocks(COURSE_ID) == before
    assert store.course_ids() == [COURSE_ID]
    directories = [path.name for path in store.root.iterdir() if path.is_dir()]
    assert directories == [first.import_id]  # the failed import's files are gone


def test_old_import_directories_are_collected_after_one_generation(tmp_path: Path, structure) -> None:  # type: ignore[no-untyped-def]
    store = StructureStore(tmp_path / "store")
    imports = [import_structures(store, [structure]).import_id for _ in range(3)]
    remaining = sorted(path.name for path in store.root.iterdir() if path.is_dir())
    assert remaining == sorted(imports[1:])


def test_a_second_import_at_once_is_refused(tmp_path: Path, structure) -> None:  # type: ignore[no-untyped-def]
    store = StructureStore(tmp_path / "store")
    with store.locked(), pytest.raises(StructureLockedError, match="another structure import"):
        import_structures(store, [structure])
