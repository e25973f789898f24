"""The documentation keeps up with the code: columns, rejection reasons, commands, summary keys."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from edinsights.cli import main
from edinsights.events.ingest import IngestSummary
from edinsights.events.schema import EVENTS_COLUMNS, QUARANTINE_COLUMNS, REJECTION_REASONS

DOCS = Path(__file__).resolve().parent.parent / "docs"
README = DOCS.parent / "README.md"
CONTRIBUTING = DOCS.parent / "CONTRIBUTING.md"
# Every Markdown page of the checkout's docs: README, CONTRIBUTING, docs/ and its decision records.
PAGES = (README, CONTRIBUTING, *sorted(DOCS.rglob("*.md")))


def documented_rows(text: str) -> dict[str, str]:
    """First cell → rest of the row, for every Markdown table row whose first cell is `code`."""
    rows = {}
    for line in text.splitlines():
        match = re.match(r"\|\s*`([^`]+)`\s*\|(.*)\|\s*$", line)
        if match:
            rows.setdefault(match.group(1), match.group(2))
    return rows


def test_every_store_column_is_documented_with_its_type() -> None:
    rows = documented_rows((DOCS / "event-store.md").read_text())
    for column in (*EVENTS_COLUMNS, *QUARANTINE_COLUMNS):
        assert column.name in rows, column.name
        assert column.type in rows[column.name], column.name


def test_every_rejection_reason_is_documented() -> None:
    rows = documented_rows((DOCS / "event-store.md").read_text())
    for reason in REJECTION_REASONS:
        assert reason in rows, reason


def test_every_summary_key_is_documented() -> None:
    rows = (DOCS / "operations.md").read_text()
    for key in IngestSummary(run_id="x").to_dict():
        if key in {"run_id", "bytes_read", "seconds"}:
            continue
        assert f"`{key}`" in rows, key


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = README.read_text()
    runner = CliRunner()
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help, name
        assert f"edinsights {name}" in readme or f"run {name}" in readme, name


def _documented_route(route: str) -> re.Pattern[str]:
    """A route as the docs write it: `{name}` or `<words>` where the route has `<converter:name>`."""
    parts = re.split(r"<[^>]+>", route)
    return re.compile(r"(?:\{[^}]+\}|<[^>]+>)".join(re.escape(part) for part in parts))


def test_every_module_documents_its_metrics_endpoints_and_pages(django_home) -> None:  # type: ignore[no-untyped-def]
    """Each module's docs (AnalyticsModule.docs) exist and name its metrics, API routes and pages."""
    from edinsights.modules import modules, url_patterns

    course = "courses/<path:course_id>/"
    for module in modules():
        assert module.docs, module.name
        paths = [Path(doc) if Path(doc).is_absolute() else DOCS.parent / doc for doc in module.docs]
        text = "\n".join(path.read_text() for path in paths)
        for metric in module.metrics:
            assert re.search(rf"^## .*`{re.escape(metric.name)}`", text, re.MULTILINE), (
                module.name,
                metric.name,
            )
        for pattern in url_patterns(module.api_urls):
            route = str(pattern.pattern).removeprefix(course)
            assert _documented_route(route).search(text), (module.name, route)
        for pattern in url_patterns(module.dashboard_urls):
            # A course page is written `…/<rest>/`, a page of its own (the Courses list) `/<path>/`.
            full = str(pattern.pattern)
            route = "…/" + full.removeprefix(course) if full.startswith(course) else "/" + full
            assert _documented_route(route).search(text), (module.name, route)


_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*$", re.MULTILINE)


def _anchors(page: Path) -> set[str]:
    """The `#fragment`s of a page's headings, as GitHub makes them (code blocks left out)."""
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.DOTALL)
    return {re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-") for title in _HEADING.findall(text)}


def test_relative_links_point_at_files_and_headings_that_exist() -> None:
    assert CONTRIBUTING in PAGES
    assert DOCS / "decisions" / "README.md" in PAGES
    broken = []
    for page in PAGES:
        for target in _LINK.findall(page.read_text()):
            if re.match(r"[a-z]+:", target):  # https:, mailto:
                continue
            path, _, fragment = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            if not linked.exists():
                broken.append(f"{page.relative_to(DOCS.parent)}: {target} (no such file)")
            elif fragment and linked.suffix == ".md" and fragment not in _anchors(linked):
                broken.append(f"{page.relative_to(DOCS.parent)}: {target} (no such heading)")
    assert not broken, broken


def test_every_decision_record_is_in_the_index_with_its_sections() -> None:
    """docs/decisions/: each record has context, decision and consequences, and a row in README.md."""
    index = (DOCS / "decisions" / "README.md").read_text()
    records = sorted((DOCS / "decisions").glob("[0-9][0-9][0-9][0-9]-*.md"))
    assert records
    for record in records:
        text = record.read_text()
        assert f"]({record.name})" in index, record.name
        assert text.startswith(f"# {record.name[:4]}. "), record.name
        for section in ("## Context", "## Decision", "## Consequences"):
            assert section in text, (record.name, section)


def test_the_contributing_guides_module_excerpts_are_the_forum_modules_code() -> None:
    """CONTRIBUTING.md's "Writing a module" walks through the forum module: each excerpt names its
    file on its first line and must be, line for line, what that file holds."""
    text = CONTRIBUTING.read_text()
    section = text[text.index("## Writing a module") :]
    excerpts = re.findall(r"```(?:python|toml)\n# (\S+)\n(.*?)```", section, re.S)
    assert len(excerpts) >= 8
    for path, excerpt in excerpts:
        assert path.startswith("modules/edinsights-forum/"), path
        assert excerpt in (CONTRIBUTING.parent / path).read_text(), f"{path} no longer holds:\n{excerpt}"
