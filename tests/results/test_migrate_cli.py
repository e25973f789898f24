"""`edinsights migrate`: creates the result store's tables; a bad database is a one-line error."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path


def edinsights(home: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "edinsights", "--home", str(home), *arguments], capture_output=True, text=True
    )


def test_migrate_creates_the_original_tables(tmp_path: Path) -> None:
    completed = edinsights(tmp_path / "home", "migrate")
    assert completed.returncode == 0, completed.stderr
    with sqlite3.connect(tmp_path / "home" / "results.sqlite3") as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = [row[1] for row in connection.execute("PRAGMA table_info(course_enrollment_daily)")]
    assert {
        "course_enrollment_daily",
        "course_enrollment_mode_daily",
        "course_activity",
        "course_meta_summary_enrollment",
        "edinsights_metric_run",
    } <= tables
    assert columns[1:] == ["course_id", "date", "count", "cumulative_count", "created"]


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    completed = edinsights(
        tmp_path / "home", "--results-db", "mysql://root:hunter2@127.0.0.1:1/reports", "migrate"
    )
    assert completed.returncode == 1
    assert "Can't connect" in completed.stderr and "root:***@" in completed.stderr
    assert "hunter2" not in completed.stderr and "Traceback" not in completed.stderr
