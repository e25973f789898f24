"""The OLX reader against an export shaped like openedx/edx-demo-course, and hostile exports."""

from __future__ import annotations

import io
import re
import tarfile
from datetime import datetime
from pathlib import Path

import pytest

from edinsights.structure.model import StructureError
from edinsights.structure.olx import read_olx
from edinsights.structure.storage import table_rows
from tests.structure import olx_fixture
from tests.structure.olx_fixture import COURSE_ID, EXPECTED_ORDER, key


@pytest.fixture(params=["directory", "tarball"])
def export(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "directory":
        return olx_fixture.write_directory(tmp_path / "export")
    return olx_fixture.write_tarball(tmp_path / "export.tar.gz")


def blocks_by_name(rows):  # type: ignore[no-untyped-def]
    return {row["block_name"]: row for row in rows}


def test_every_block_in_pre_order_with_the_orphan_last(export: Path) -> None:
    rows = table_rows(read_olx(export))["blocks"]
    assert [(row["block_type"], row["block_name"]) for row in rows] == EXPECTED_ORDER
    assert [row["sort_idx"] for row in rows] == [*range(len(rows) - 1), len(rows)]
    assert all(row["course_id"] == COURSE_ID for row in rows)


def test_course_key_usage_keys_and_paths(export: Path) -> None:
    structure = read_olx(export)
    assert structure.course_id == COURSE_ID
    assert structure.root == key("course", "course")  # as the LMS names a course-v1 course block
    rows = blocks_by_name(table_rows(structure)["blocks"])
    choice = rows["p_choice"]
    assert choice["block_id"] == key("problem", "p_choice")
    assert choice["parent_block_id"] == key("vertical", "v_quiz")
    assert choice["course_path"] == "Shapes of OLX / Assessments / Homework 1 / Quiz"
    root = rows["course"]
    assert (root["is_root"], root["parent_block_id"], root["course_path"]) == (True, None, "")
    assert rows["ch_intro"]["course_path"] == "Shapes of OLX"


def test_inline_and_unknown_xblocks_are_blocks_and_their_content_is_not(export: Path) -> None:
    rows = blocks_by_name(table_rows(read_olx(export))["blocks"])
    assert rows["dnd_brain"]["block_type"] == "drag-and-drop-v2"
    assert rows["dnd_brain"]["display_name"] == "Drag and Drop"
    assert rows["ora_essay"]["parent_block_id"] == key("vertical", "v_tools")
    assert rows["vid_inline"]["display_name"] == "Inline video"
    # <source>, <title>, <prompts>, the problem's response elements and <wiki> are no blocks.
    assert not {"source", "title", "prompts", "prompt", "multiplechoiceresponse", "wiki", "video_asset"} & {
        row["block_type"] for row in rows.values()
    }
    assert rows["lti_tool"]["display_name"] == "External tool"


def test_library_content_children_orphans_and_dag_blocks(export: Path) -> None:
    rows = blocks_by_name(table_rows(read_olx(export))["blocks"])
    assert rows["p_lib_a"]["parent_block_id"] == key("library_content", "lib_pick")
    assert rows["p_lib_b"]["course_path"].endswith("Practice / From the library / Randomized")
    orphan = rows["p_orphan"]
    assert (orphan["is_orphan"], orphan["parent_block_id"], orphan["course_path"]) == (
        True,
        None,
        "(Deleted block :)",
    )
    shared = rows["p_shared"]
    assert shared["is_dag"] and not shared["is_orphan"]
    assert shared["parent_block_id"] == key("vertical", "v_quiz")  # its first placement
    assert [name for name, row in rows.items() if row["is_dag"]] == ["p_shared"]
    assert [name for name, row in rows.items() if row["is_orphan"]] == ["p_orphan"]


def test_graded_format_and_dates_inherit_down_the_outline(export: Path) -> None:
    rows = blocks_by_name(table_rows(read_olx(export))["blocks"])
    due = datetime(2024, 10, 15, 23, 59)
    homework = rows["seq_homework"]
    assert (homework["graded"], homework["format"], homework["due"]) == (True, "Homework", due)
    # graded and due reach the subsection's units and problems; format stays on the subsection.
    assert (rows["p_choice"]["graded"], rows["p_choice"]["due"], rows["p_choice"]["format"]) == (
        True,
        due,
        None,
    )
    assert not rows["seq_practice"]["graded"] and rows["p_lib_a"]["due"] is None
    assert rows["h_welcome"]["start"] == datetime(2024, 9, 1)


def test_catalog_and_grading_policy(export: Path) -> None:
    tables = table_rows(read_olx(export))
    assert tables["courses"] == [
        {
            "course_id": COURSE_ID,
            "name": "Shapes of OLX",
            "org": "ShapesU",
            "number": "OLX101",
            "start_date": datetime(2024, 9, 1),
            "end_date": datetime(2024, 12, 20),
            "enrollment_start": datetime(2024, 8, 1),
            "enrollment_end": None,
            "pacing": "self",
        }
    ]
    assert tables["grading_policy"] == [
        {
            "course_id": COURSE_ID,
            "assignment_type": "Homework",
            "weight": 0.4,
            "drop_count": 1,
            "min_count": 3,
        },
        {"course_id": COURSE_ID, "assignment_type": "Exam", "weight": 0.6, "drop_count": 0, "min_count": 1},
    ]


def test_course_id_option_replaces_the_key_from_course_xml(tmp_path: Path) -> None:
    export = olx_fixture.write_directory(tmp_path / "export")
    structure = read_olx(export, course_id="ShapesU/OLX101/2024")
    assert structure.course_id == "ShapesU/OLX101/2024"
    assert structure.root == "i4x://ShapesU/OLX101/course/Fall2024"
    assert "i4x://ShapesU/OLX101/problem/p_choice" in structure.blocks


def test_an_export_without_a_wrapping_directory(tmp_path: Path) -> None:
    export = olx_fixture.write_tarball(tmp_path / "flat.tar.gz", wrapper="")
    assert len(read_olx(export).blocks) == len(EXPECTED_ORDER)


def test_an_inline_course_xml(tmp_path: Path) -> None:
    files = dict(olx_fixture.FILES)
    files["course.xml"] = (
        '<course url_name="R1" org="O" course="C" display_name="Inline">'
        '<chapter url_name="ch_intro"/></course>'
    )
    structure = read_olx(olx_fixture.write_directory(tmp_path / "e", files))
    assert structure.course_id == "course-v1:O+C+R1"
    assert structure.blocks[structure.root].display_name == "Inline"
    assert structure.root == "block-v1:O+C+R1+type@course+block@course"
    assert structure.blocks[structure.root].children == ["block-v1:O+C+R1+type@chapter+block@ch_intro"]


# ---- bad and hostile input: one line naming the course (or export) and the file ----


def error_of(export: Path) -> str:
    with pytest.raises(StructureError) as raised:
        read_olx(export)
    message = str(raised.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        (
            "vertical/v_quiz.xml",
            "<vertical><problem url_name='p'></vertical>",
            "vertical/v_quiz.xml: malformed XML",
        ),
        (
            "problem/p_choice.xml",
            '<?xml version="1.0"?><!DOCTYPE b [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            "<problem>&b;</problem>",
            "problem/p_choice.xml: refused XML",
        ),
        (
            "html/h_welcome.xml",
            '<?xml version="1.0"?><!DOCTYPE h [<!ENTITY x SYSTEM "file:///etc/passwd">]><html>&x;</html>',
            "html/h_welcome.xml: refused XML",
        ),
        ("sequential/seq_homework.xml", '<sequential due="next tuesday"/>', "a date that does not parse"),
        ("policies/Fall2024/grading_policy.json", "{not json", "grading_policy.json: malformed JSON"),
        ("policies/Fall2024/grading_policy.json", '{"GRADER": [{"weight": 1}]}', "a GRADER entry"),
        ("course.xml", '<course url_name="Fall2024"/>', "needs url_name, org and course"),
    ],
)
def test_malformed_files(tmp_path: Path, file: str, text: str, expected: str) -> None:
    files = {**olx_fixture.FILES, file: text}
    message = error_of(olx_fixture.write_tarball(tmp_path / "bad.tar.gz", files))
    assert expected in message
    if file != "course.xml":
        assert COURSE_ID in message


def test_a_missing_pointed_file_is_named(tmp_path: Path) -> None:
    files = {name: text for name, text in olx_fixture.FILES.items() if name != "vertical/v_quiz.xml"}
    message = error_of(olx_fixture.write_directory(tmp_path / "e", files))
    assert message.endswith("vertical/v_quiz.xml: missing from the export")


def test_no_course_xml(tmp_path: Path) -> None:
    assert "no course.xml" in error_of(olx_fixture.write_tarball(tmp_path / "e.tar.gz", {"a/b.xml": "<a/>"}))


def test_a_cycle_is_an_error_naming_the_course(tmp_path: Path) -> None:
    files = {
        **olx_fixture.FILES,
        "vertical/v_quiz.xml": '<vertical><sequential url_name="seq_homework"/></vertical>',
    }
    structure = read_olx(olx_fixture.write_directory(tmp_path / "e", files))
    with pytest.raises(
        StructureError, match=f"^{re.escape(COURSE_ID)}: the block tree has a cycle: .*seq_homework"
    ):
        table_rows(structure)


def hostile_tarball(path: Path, member: tarfile.TarInfo, data: bytes = b"") -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, text in olx_fixture.FILES.items():
            encoded = text.encode()
            info = tarfile.TarInfo(f"course/{name}")
            info.size = len(encoded)
            archive.addfile(info, io.BytesIO(encoded))
        member.size = len(data) if member.isfile() else 0
        archive.addfile(member, io.BytesIO(data) if data else None)
    return path


def link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        (tarfile.TarInfo("/etc/evil.xml"), "absolute path"),
        (tarfile.TarInfo("course/../../evil.xml"), "leads outside the export"),
        (link("course/problem/p_link.xml", "../../../etc/passwd.xml"), "links outside the export"),
        (link("course/problem/p_link.xml", "/etc/hosts.xml"), "links outside the export"),
        (link("course/problem/p_hard.xml", "../outside.xml", tarfile.LNKTYPE), "links outside the export"),
    ],
)
def test_hostile_tarball_members_are_refused(tmp_path: Path, member: tarfile.TarInfo, expected: str) -> None:
    message = error_of(hostile_tarball(tmp_path / "hostile.tar.gz", member, b"<problem/>"))
    assert expected in message and "hostile.tar.gz" in message


def test_a_link_inside_the_export_is_followed(tmp_path: Path) -> None:
    export = hostile_tarball(tmp_path / "ok.tar.gz", link("course/problem/p_alias.xml", "p_orphan.xml"))
    rows = blocks_by_name(table_rows(read_olx(export))["blocks"])
    assert rows["p_alias"]["display_name"] == "Left behind" and rows["p_alias"]["is_orphan"]


def test_a_directory_link_leading_outside_is_refused(tmp_path: Path) -> None:
    export = olx_fixture.write_directory(tmp_path / "e")
    (tmp_path / "secret.xml").write_text("<problem/>")
    (export / "course" / "problem" / "p_escape.xml").symlink_to(tmp_path / "secret.xml")
    assert "p_escape.xml links outside the export" in error_of(export)


def test_an_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("edinsights.structure.olx.MAX_FILE_BYTES", 1000)
    files = {**olx_fixture.FILES, "problem/p_big.xml": "<problem>" + "x" * 2000 + "</problem>"}
    assert "p_big.xml is larger than" in error_of(olx_fixture.write_tarball(tmp_path / "big.tar.gz", files))


def test_a_tarball_claiming_too_much_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("edinsights.structure.olx.MAX_ARCHIVE_BYTES", 10_000)
    files = {**olx_fixture.FILES, "static/video.mp4": "x" * 20_000}  # not read, but counted
    assert "the export holds more than" in error_of(olx_fixture.write_tarball(tmp_path / "big.tar.gz", files))


def test_not_a_tarball(tmp_path: Path) -> None:
    path = tmp_path / "junk.tar.gz"
    path.write_bytes(b"\x1f\x8b garbage")
    assert "not a readable export tarball" in error_of(path)
