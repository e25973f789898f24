"""The pre-commit hooks run tools that exist, from the project's venv, and fetch nothing."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".pre-commit-config.yaml"


def _hooks() -> list[dict[str, object]]:
    config = yaml.safe_load(CONFIG.read_text())
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def _dev_commands() -> set[str]:
    """The subcommands of ./dev: the labels of its `case` over "$1"."""
    text = (ROOT / "dev").read_text()
    body = text[text.index('case "${1:-}" in') :]
    return set(re.findall(r"^    ([a-z]+)\)", body, re.MULTILINE))


def test_the_config_is_valid_for_pre_commit() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(CONFIG)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_hook_is_local_and_fetches_nothing() -> None:
    config = yaml.safe_load(CONFIG.read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    for hook in _hooks():
        # `system`: the command as installed; any other language makes pre-commit build an environment.
        assert hook["language"] == "system", hook["id"]


def test_every_hook_names_a_command_that_exists() -> None:
    """`.venv/bin/TOOL` is a tool the test extra installs (beside this Python); `./dev X` a subcommand."""
    venv_bin = Path(sys.executable).parent
    commands = _dev_commands()
    ids = set()
    for hook in _hooks():
        ids.add(hook["id"])
        program, *arguments = shlex.split(str(hook["entry"]))
        if program == "./dev":
            assert arguments and arguments[0] in commands, hook["id"]
        else:
            assert program.startswith(".venv/bin/"), hook["id"]
            assert (venv_bin / program.removeprefix(".venv/bin/")).is_file(), hook["id"]
    assert {"ruff-check", "ruff-format", "mypy"} <= ids


def test_dev_test_runs_the_same_static_checks() -> None:
    text = (ROOT / "dev").read_text()
    test_branch = text[text.index("    test)") : text.index("    check)")]
    assert "lint" in test_branch
    assert "typecheck" in test_branch
    assert {"test", "check", "typecheck", "setup", "run"} <= _dev_commands()
