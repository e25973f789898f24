"""`edinsights compute`: metrics from the event store published into the result store."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from edinsights.metrics.registry import metrics
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
    # Enrollment events only: no activity, videos, problems or engagement.
    assert summary["computed"] == {
        **{name: 0 for name in metrics()},
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
    assert again["computed"] == {} and sorted(again["up_to_date"]) == sorted(metrics())
    assert dict(runs) == summary["computed"]


def test_compute_errors_are_one_line(tmp_path: Path) -> None:
    empty = edinsights(tmp_path / "home", "compute")
    assert empty.returncode == 1 and "no events yet" in empty.stderr and "Traceback" not in empty.stderr
    log = write_log(tmp_path / "t.log", [enrollment("2024-01-01T10:00:00Z", 1, "audit")])
    edinsights(tmp_path / "home", "ingest", str(log))
    unknown = edinsights(tmp_path / "home", "compute", "--only", "nope")
    assert unknown.returncode == 1 and "unknown metric(s): nope" in unknown.stderr
    bad_date = edinsights(tmp_path / "home", "compute", "--to", "2024-13-45")
    assert bad_date.returncode == 2 and "Invalid value for '--to'" in bad_date.stderr
    backwards = edinsights(tmp_path / "home", "compute", "--from", "2024-02-01", "--to", "2024-01-01")
    assert backwards.returncode == 1
    assert "bad date range: --from 2024-02-01 is after --to 2024-01-01" in backwards.stderr
    before_data = edinsights(tmp_path / "home", "compute", "--to", "2023-12-31")
    assert before_data.returncode == 1 and "Traceback" not in before_data.stderr
    assert "--to 2023-12-31 is before the first day with events (2024-01-01)" in before_data.stderr
    no_scheduler = edinsights(tmp_path / "home", "compute", "--scheduler-url", "http://127.0.0.1:9")
    assert no_scheduler.returncode == 1 and "Traceback" not in no_scheduler.stderr
    assert "cannot reach the luigi scheduler at http://127.0.0.1:9" in no_scheduler.stderr
    no_database = edinsights(tmp_path / "home", "--results-db", "mysql://root@127.0.0.1:9/x", "compute")
    assert no_database.returncode == 1 and "Traceback" not in no_database.stderr
    assert no_database.stderr.startswith("Error: result store mysql://root@127.0.0.1:9/x:")


def test_from_recomputes_current_rows_from_that_day(tmp_path: Path) -> None:
    home = tmp_path / "home"
    days = [f"2024-01-{day:02d}T10:00:00Z" for day in (1, 2, 3, 8, 9)]
    log = write_log(tmp_path / "t.log", [enrollment(time, user, "audit") for user, time in enumerate(days)])
    assert edinsights(home, "ingest", str(log)).returncode == 0
    assert edinsights(home, "compute").returncode == 0
    forced = edinsights(home, "compute", "--from", "2024-01-08", "--json")
    assert forced.returncode == 0, forced.stderr
    # Every metric is published again although nothing changed ...
    assert set(json.loads(forced.stdout)["computed"]) == set(metrics())
    with sqlite3.connect(home / "results.sqlite3") as connection:
        runs = dict(
            connection.execute(
                "SELECT metric, date_from FROM edinsights_metric_run WHERE id > ? ORDER BY id",
                [len(metrics())],
            ).fetchall()
        )
        totals = connection.execute("SELECT count(*) FROM edinsights_event_totals_daily").fetchone()[0]
    # ... day-dated metrics only from --from on (the earlier rows are kept), the others whole.
    assert runs["event_totals"] == "2024-01-08" and runs["enrollment_daily"] is None
    assert totals == 10  # 5 days, per course and overall: none lost
    again = json.loads(edinsights(home, "compute", "--json").stdout)
    assert again["computed"] == {}
