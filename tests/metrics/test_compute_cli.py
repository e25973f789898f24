"""`edinsights compute`: metrics from the event store published into the result store."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import event_line, write_log


def edinsights(home: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "edinsights", "--home", str(home), *arguments], capture_output=True, text=True
    )


def enrollment(time: str, user: int, mode: str) -> str:
    course = "course-v1:edX+DemoX+2024"
    return event_line(
        time=time,
        event_type="edx.course.enrollment.activated",
        context={"course_id": course, "user_id": user, "path": "/x"},
        event={"course_id": course, "user_id": user, "mode": mode},
    )


def test_compute_publishes_every_metric(tmp_path: Path) -> None:
    home = tmp_path / "home"
    log = write_log(
        tmp_path / "t.log",
        [enrollment("2024-01-01T10:00:00Z", 1, "audit"), enrollment("2024-01-03T10:00:00Z", 2, "verified")],
    )
    assert edinsights(home, "ingest", str(log)).returncode == 0
    completed = edinsights(home, "compute", "--json")
    assert completed.returncode == 0, completed.stderr
    summary = json.loads(completed.stdout)
    # Enrollment events only: no weekly activity.
    assert summary["computed"] == {
        "course_activity": 0,
        "course_summary": 2,
        "enrollment_daily": 3,
        "enrollment_mode_daily": 6,
        "event_totals": 4,  # 2 days with events, per course and overall
    }
    with sqlite3.connect(home / "results.sqlite3") as connection:
        daily = connection.execute(
            "SELECT date, count, cumulative_count FROM course_enrollment_daily ORDER BY date"
        ).fetchall()
        runs = connection.execute("SELECT metric, rows FROM edinsights_metric_run ORDER BY metric").fetchall()
    assert daily == [("2024-01-01", 1, 1), ("2024-01-02", 1, 1), ("2024-01-03", 2, 2)]
    again = json.loads(edinsights(home, "compute", "--json").stdout)
    assert again["computed"] == {} and len(again["up_to_date"]) == 5
    assert runs == [
        ("course_activity", 0),
        ("course_summary", 2),
        ("enrollment_daily", 3),
        ("enrollment_mode_daily", 6),
        ("event_totals", 4),
    ]


def test_compute_errors_are_one_line(tmp_path: Path) -> None:
    empty = edinsights(tmp_path / "home", "compute")
    assert empty.returncode == 1 and "no events yet" in empty.stderr and "Traceback" not in empty.stderr
    log = write_log(tmp_path / "t.log", [enrollment("2024-01-01T10:00:00Z", 1, "audit")])
    edinsights(tmp_path / "home", "ingest", str(log))
    unknown = edinsights(tmp_path / "home", "compute", "--only", "nope")
    assert unknown.returncode == 1 and "unknown metric(s): nope" in unknown.stderr
    bad_date = edinsights(tmp_path / "home", "compute", "--to", "2024-13-45")
    assert bad_date.returncode == 2 and "Invalid value for '--to'" in bad_date.stderr
