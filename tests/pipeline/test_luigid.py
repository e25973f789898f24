"""`--scheduler-url`: the pipeline scheduled by a real central luigid on loopback."""

from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from edinsights.metrics.registry import metrics
from tests.conftest import free_port, running
from tests.pipeline.test_run import edinsights

# Starts a central luigid and talks HTTP to it.
pytestmark = pytest.mark.live


@pytest.fixture
def luigid(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    (tmp_path / "luigid").mkdir()
    command = [
        str(Path(sys.executable).parent / "luigid"),
        "--address",
        "127.0.0.1",
        "--port",
        str(port),
        "--logdir",
        str(tmp_path / "luigid"),
        "--state-path",
        str(tmp_path / "luigid" / "state.pickle"),
    ]
    url = f"http://127.0.0.1:{port}"
    with running(command, url + "/api/task_list?data={}", "luigid"):
        yield url


def test_pipeline_runs_under_a_central_scheduler(tmp_path: Path, luigid: str) -> None:
    from edinsights.demo.dataset import generate
    from edinsights.demo.simulate import SimulationConfig

    generate(
        SimulationConfig(seed=5, courses=2, learners=60, days=4, start=date(2024, 3, 4)), tmp_path / "sim"
    )
    home = tmp_path / "home"
    summary = edinsights(home, "run", str(tmp_path / "sim" / "logs"), "--scheduler-url", luigid, "--json")
    assert set(summary["computed"]) == set(metrics()) and summary["rows"] == sum(summary["computed"].values())

    query = json.dumps({"status": "DONE", "upstream_status": "", "search": ""})
    with urllib.request.urlopen(f"{luigid}/api/task_list?data={urllib.request.quote(query)}") as response:
        done = json.load(response)["response"]
    families = sorted(task["name"] for task in done.values())
    # The scheduler saw (and recorded as done) the ingest, each metric and the wrapper.
    assert families == ["ComputeAll", "IngestTask"] + ["MetricTask"] * len(metrics())
