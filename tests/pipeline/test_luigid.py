"""`--scheduler-url`: the pipeline scheduled by a real central luigid on loopback."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from edinsights.metrics.registry import metrics
from tests.pipeline.test_run import edinsights


@pytest.fixture
def luigid(tmp_path: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "luigid").mkdir()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "luigid"),
            "--address",
            "127.0.0.1",
            "--port",
            str(port),
            "--logdir",
            str(tmp_path / "luigid"),
            "--state-path",
            str(tmp_path / "luigid" / "state.pickle"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/api/task_list?data={}", timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "luigid did not start"
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


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
