"""Analytics modules add their commands to `edinsights` (AnalyticsModule.cli_commands)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import edinsights.cli
from edinsights.cli import main


@dataclass(frozen=True)
class FakeModule:
    """What the CLI reads of an AnalyticsModule: its name and its commands."""

    name: str
    cli_commands: tuple[click.Command, ...]


@click.command(name="forum-report")
@click.option("--week", default="2024-W01", show_default=True)
@click.pass_obj
def forum_report(home: str, week: str) -> None:
    """Discussion activity of one week."""
    click.echo(f"forum report for {week} in {home}")


@click.command(name="ingest")
def fake_ingest() -> None:
    """A module's command named like a built-in one."""
    click.echo("the module's ingest ran")


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> list[FakeModule]:
    """The modules `edinsights` finds: append to the list."""
    found: list[FakeModule] = []
    monkeypatch.setattr(edinsights.cli, "_installed_modules", lambda: found)
    return found


def test_a_modules_command_is_listed_and_runs(installed: list[FakeModule], tmp_path) -> None:  # type: ignore[no-untyped-def]
    installed.append(FakeModule("forum", (forum_report,)))
    runner = CliRunner()

    listing = runner.invoke(main, ["--help"])
    assert listing.exit_code == 0, listing.output
    assert "forum-report  Discussion activity of one week." in listing.output
    assert "ingest" in listing.output  # the built-in commands are still there

    ran = runner.invoke(main, ["--home", str(tmp_path), "forum-report", "--week", "2024-W07"])
    assert ran.exit_code == 0, ran.output
    assert ran.output == f"forum report for 2024-W07 in {tmp_path}\n"
    assert runner.invoke(main, ["forum-report", "--help"]).exit_code == 0


def test_a_command_named_like_a_built_in_one_is_not_added(installed: list[FakeModule]) -> None:
    installed.append(FakeModule("clashing", (fake_ingest, forum_report)))
    result = CliRunner().invoke(main, ["ingest", "--help"])
    assert result.exit_code == 0, result.output
    assert "Ingest tracking logs into the event store." in result.stdout  # the built-in one
    assert "the module's ingest ran" not in result.output
    # Modules are only looked at when their commands are asked for (a list, an unknown name):
    # the clash is said there, and the module's other command is added all the same.
    listed = CliRunner().invoke(main, ["--help"])
    assert (
        "Error: analytics module 'clashing': its command 'ingest' has the name of a built-in command; "
        "not added" in listed.stderr
    )
    assert "forum-report" in listed.stdout


def test_a_built_in_command_loads_no_module(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(edinsights.cli, "_installed_modules", lambda: asked.append("modules") or ())
    assert CliRunner().invoke(main, ["ingest", "--help"]).exit_code == 0
    assert asked == []
    assert CliRunner().invoke(main, ["--help"]).exit_code == 0
    assert asked == ["modules"]


def test_two_modules_with_one_command_name_keep_the_first(installed: list[FakeModule], tmp_path) -> None:  # type: ignore[no-untyped-def]
    @click.command(name="forum-report")
    def other() -> None:
        click.echo("the second module's command")

    installed.extend([FakeModule("forum", (forum_report,)), FakeModule("copycat", (other,))])
    result = CliRunner().invoke(main, ["--home", str(tmp_path), "forum-report"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"forum report for 2024-W01 in {tmp_path}\n"
    assert (
        "Error: analytics module 'copycat': its command 'forum-report' is already the command of "
        "module 'forum'; not added" in result.stderr
    )


def test_something_else_than_a_command_is_refused_with_the_modules_name(installed: list[FakeModule]) -> None:
    installed.append(FakeModule("sloppy", (print,)))  # type: ignore[arg-type]
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    assert "Error: analytics module 'sloppy': <built-in function print> is not a named click command" in (
        result.stderr
    )


def test_modules_that_fail_to_load_leave_the_built_in_commands_working(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> list[FakeModule]:
        raise RuntimeError("edinsights_forum: no module named 'edinsights_forum.models'")

    # Below _installed_modules: the failure of edinsights.modules.modules() itself.
    monkeypatch.setattr(edinsights.cli, "_discover_modules", broken)
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    assert "ingest" in result.stdout
    assert (
        "Error: the analytics modules could not be loaded: edinsights_forum: no module named "
        "'edinsights_forum.models'" in result.stderr
    )


def test_the_installed_modules_load_in_a_fresh_process(tmp_path: Path) -> None:
    """The real built-in modules, before Django is set up (their labels are lazy translations)."""
    completed = subprocess.run(
        [sys.executable, "-m", "edinsights", "--home", str(tmp_path / "home"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Error" not in completed.stderr and "ingest" in completed.stdout
