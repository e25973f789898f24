"""A result-store URL edinsights cannot use, or a database that is down: one `Error:` line, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import free_port

COMMANDS = {
    "compute": ["compute"],
    "serve": ["serve", "--port", "1"],  # never listened on: the error comes first
    "migrate": ["migrate"],
    "token create": ["token", "create", "alice", "--all-courses"],
    "user create": ["user", "create", "bob", "--password-stdin"],
}

URLS = {
    "mysql://": "names no database",
    "nonsense": "not a database edinsights knows",
    "mssql://sa:hunter2@db/reports": "not a database edinsights knows",
    "postgres://u:hunter2@host:notaport/db": "not a valid URL",
}


def run(home: Path, url: str, command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "edinsights", "--home", str(home), "--results-db", url, *command],
        input="a long enough password\n",
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_error_line(completed: subprocess.CompletedProcess, *expected: str) -> None:
    assert completed.returncode == 1, completed.stderr
    lines = [line for line in completed.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: result store "), completed.stderr
    for text in expected:
        assert text in lines[0], lines[0]
    assert "hunter2" not in completed.stderr + completed.stdout


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("url", URLS)
def test_a_malformed_url_is_one_error_line(tmp_path: Path, url: str, command: str) -> None:
    completed = run(tmp_path / "home", url, COMMANDS[command])
    assert_one_error_line(completed, URLS[url], "expected sqlite:///PATH")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_database_that_is_down_is_one_error_line(tmp_path: Path, command: str) -> None:
    url = f"postgresql://postgres:hunter2@127.0.0.1:{free_port()}/reports"  # nothing listens there
    completed = run(tmp_path / "home", url, COMMANDS[command])
    assert_one_error_line(completed, "postgres:***@127.0.0.1", "Connection refused")
