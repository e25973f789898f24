"""A compute killed half way: the pages say that some figures are from it and others from the run before."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from edinsights.metrics.registry import metrics
from tests.dashboard.conftest import Dashboard

NOTICE = "has not finished: some figures are from it and others from the run before"


def test_the_pages_say_when_the_last_compute_did_not_finish(dashboard: Dashboard) -> None:
    from edinsights.results.models import ComputeRun

    staff = dashboard.client("staff")
    course = dashboard.courses[0]
    pages = ["/courses/", f"/courses/{course}/", f"/courses/{course}/enrollment/activity/"]
    latest = ComputeRun.objects.order_by("-started").first()
    base = max(datetime.now(UTC), latest.started if latest else datetime.now(UTC)) + timedelta(days=1)
    killed = ComputeRun.objects.create(started=base.replace(hour=7, minute=5, second=0, microsecond=0))
    try:
        for page in pages:
            html = staff.get(page).content.decode()
            assert NOTICE in html, page
            assert f"started {base:%Y-%m-%d} 07:05 UTC" in html
            assert "run <code>edinsights compute</code> again" in html

        # The next run that finishes clears it.
        ComputeRun.objects.create(started=base + timedelta(hours=8), finished=base + timedelta(hours=9))
        for page in pages:
            assert NOTICE not in staff.get(page).content.decode(), page
    finally:
        ComputeRun.objects.filter(started__gte=killed.started).delete()


def compute_runs(database: Path) -> list[tuple[str, str | None]]:
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute(
            "SELECT started, finished FROM edinsights_compute_run ORDER BY id"
        ).fetchall()


def published(database: Path) -> int:
    with closing(sqlite3.connect(database)) as connection:
        try:
            return connection.execute("SELECT count(*) FROM edinsights_metric_run").fetchone()[0]
        except sqlite3.OperationalError:  # not migrated yet
            return 0


@pytest.mark.slow
def test_a_killed_compute_is_recorded_unfinished_until_a_run_finishes(tmp_path: Path, simulated_logs) -> None:  # type: ignore[no-untyped-def]
    logs, _courses = simulated_logs
    home = tmp_path / "home"
    cli = [sys.executable, "-m", "edinsights", "--home", str(home)]
    assert subprocess.run([*cli, "ingest", str(logs)], capture_output=True).returncode == 0
    database = home / "results.sqlite3"

    process = subprocess.Popen([*cli, "compute"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while published(database) == 0 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)  # after the first metric's publication, before the last
    process.wait()
    assert 0 < published(database) < len(metrics())  # the tables are of two runs now
    runs = compute_runs(database)
    assert len(runs) == 1 and runs[0][1] is None

    completed = subprocess.run([*cli, "compute"], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    runs = compute_runs(database)
    assert len(runs) == 2 and runs[-1][1] is not None and runs[-1][1] >= runs[-1][0]
