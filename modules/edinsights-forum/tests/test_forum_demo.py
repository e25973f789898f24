"""A fresh demo home, as `edinsights demo` makes it, computes and serves the module's tables."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest


@pytest.mark.slow
def test_a_fresh_demo_home_computes_the_forum_tables(tmp_path: Path) -> None:
    home = tmp_path / "home"
    command = [sys.executable, "-m", "edinsights", "--home", str(home), "demo", "--no-serve", "--days", "10"]
    completed = subprocess.run(
        [*command, "--learners", "150"], capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "forum_activity_weekly" in completed.stdout and "forum_topic_weekly" in completed.stdout
    with closing(sqlite3.connect(home / "results.sqlite3")) as results:
        weeks = results.execute("SELECT count(*), sum(threads), sum(responses) FROM forum_activity_weekly")
        count, threads, responses = weeks.fetchone()
        topics = results.execute("SELECT count(DISTINCT commentable_id) FROM forum_topic_weekly").fetchone()[
            0
        ]
        published = results.execute(
            "SELECT count(*) FROM edinsights_metric_run WHERE metric LIKE 'forum_%'"
        ).fetchone()[0]
    assert count >= 2 and threads > 0 and responses > 0 and topics > 1
    assert published == 2
    assert (home / "store" / "side" / "forum_events" / "extraction.json").is_file()
