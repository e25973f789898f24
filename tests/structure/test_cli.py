"""`edinsights import structure --olx`: the summary, --json, --course-id, errors as one line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from edinsights.cli import main
from edinsights.structure.storage import StructureStore
from tests.structure import olx_fixture
from tests.structure.olx_fixture import COURSE_ID, EXPECTED_ORDER


def run(home: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--home", str(home), "import", "structure", *args])


def test_olx_import_with_its_summary(tmp_path: Path) -> None:
    export = olx_fixture.write_tarball(tmp_path / "course.tar.gz")
    result = run(tmp_path / "home", "--olx", str(export), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert (summary["courses"], summary["blocks"], summary["skipped"]) == (
        [COURSE_ID],
        len(EXPECTED_ORDER),
        [],
    )
    store = StructureStore(tmp_path / "home" / "store")
    assert len(store.blocks(COURSE_ID)) == len(EXPECTED_ORDER)
    text = run(tmp_path / "home", "--olx", str(export))
    assert "courses imported" in text.output and str(len(EXPECTED_ORDER)) in text.output


def test_several_exports_and_a_course_id(tmp_path: Path) -> None:
    first = olx_fixture.write_tarball(tmp_path / "a.tar.gz")
    second = olx_fixture.write_directory(tmp_path / "b")
    result = run(tmp_path / "home", "--olx", str(first), "--olx", str(second), "--json")
    summary = json.loads(result.output)
    assert summary["courses"] == [COURSE_ID]
    assert summary["skipped"][0]["reason"].endswith("the same course as an earlier export")
    result = run(tmp_path / "home", "--olx", str(second), "--course-id", "course-v1:Other+X+1", "--json")
    assert json.loads(result.output)["courses"] == ["course-v1:Other+X+1"]
    assert StructureStore(tmp_path / "home" / "store").course_ids() == ["course-v1:Other+X+1", COURSE_ID]
    two = run(tmp_path / "home", "--olx", str(first), "--olx", str(second), "--course-id", "course-v1:A+B+C")
    assert two.exit_code == 1 and "one --olx PATH" in two.output


def test_a_malformed_export_is_one_line_and_keeps_the_previous_structure(tmp_path: Path) -> None:
    good = olx_fixture.write_tarball(tmp_path / "good.tar.gz")
    assert run(tmp_path / "home", "--olx", str(good)).exit_code == 0
    store = StructureStore(tmp_path / "home" / "store")
    before = store.current()
    files = {**olx_fixture.FILES, "vertical/v_quiz.xml": "<vertical>"}
    bad = olx_fixture.write_tarball(tmp_path / "bad.tar.gz", files)
    result = run(tmp_path / "home", "--olx", str(good), "--olx", str(bad))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"Error: {COURSE_ID} (bad.tar.gz): vertical/v_quiz.xml: malformed XML")
    assert store.current() == before


def test_usage_errors(tmp_path: Path) -> None:
    nothing = run(tmp_path / "home")
    assert nothing.exit_code == 2 and "--lms-url URL" in nothing.output
    no_client = run(tmp_path / "home", "--lms-url", "http://127.0.0.1:9")
    assert no_client.exit_code == 2 and "--client-id and --client-secret" in no_client.output
    both = run(tmp_path / "home", "--olx", str(tmp_path), "--lms-url", "http://x")
    assert both.exit_code == 2
    not_export = run(tmp_path / "home", "--olx", str(tmp_path))
    assert not_export.exit_code == 1 and "no course.xml" in not_export.output
