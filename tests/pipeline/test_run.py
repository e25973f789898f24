"""`edinsights run`: ingest then metrics through luigi; nothing is redone without new data."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from edinsights.metrics.registry import metrics


def edinsights(home: Path, *arguments: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "edinsights", "--home", str(home), *arguments], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


@pytest.mark.slow
def test_run_is_incremental_at_the_task_level(tmp_path: Path) -> None:
    from edinsights.config import Settings
    from edinsights.demo.dataset import generate, import_structure_exports
    from edinsights.demo.simulate import SimulationConfig
    from edinsights.structure.metrics import STRUCTURE_VIEWS

    logs = tmp_path / "sim" / "logs"
    generate(
        SimulationConfig(seed=31, courses=3, learners=150, days=8, start=date(2024, 10, 1)), tmp_path / "sim"
    )
    home = tmp_path / "home"
    store_path = Settings.load(home).store_path
    import_structure_exports(store_path, tmp_path / "sim")
    first = edinsights(home, "run", str(logs), "--json")
    assert set(first["computed"]) == set(metrics())
    assert all(rows > 0 for rows in first["computed"].values())

    second = edinsights(home, "run", str(logs), "--json")
    assert second["computed"] == {} and sorted(second["up_to_date"]) == sorted(metrics())

    # A new structure import, without new events: exactly the metrics that read the structure
    # are published again.
    import_structure_exports(store_path, tmp_path / "sim")
    reimported = edinsights(home, "run", str(logs), "--json")
    reading = {name for name, metric in metrics().items() if set(metric.inputs) & set(STRUCTURE_VIEWS)}
    assert {"course_structure", "course_grading_policy"} <= reading
    assert set(reimported["computed"]) == reading
    assert reimported["computed"]["course_structure"] == first["computed"]["course_structure"]

    # A new day's log arrives: ingest picks it up and every metric is published again.
    later = tmp_path / "later"
    generate(SimulationConfig(seed=32, courses=3, learners=150, days=1, start=date(2024, 10, 9)), later)
    (logs / "tracking.log-20241010.gz").write_bytes(
        (later / "logs" / "tracking.log-20241010.gz").read_bytes()
    )
    third = edinsights(home, "run", str(logs), "--json")
    # Every metric that reads events; the outline and policy did not change.
    only_structure = {"course_structure", "course_grading_policy"}
    assert set(third["computed"]) == set(first["computed"]) - only_structure
    assert third["computed"]["enrollment_daily"] > first["computed"]["enrollment_daily"]

    only = edinsights(home, "compute", "--only", "enrollment_daily", "--json")
    assert only == {
        "computed": {},
        "up_to_date": ["enrollment_daily"],
        "rows": 0,
        "seconds": only["seconds"],
        "failed_inputs": [],
        "skipped_inputs": [],
    }


def test_the_up_to_date_check_keeps_its_listing_for_the_report(tmp_path: Path) -> None:
    """A run with nothing new reports unreadable inputs from the listing the up-to-date check
    made, instead of walking the inputs a second time."""
    from edinsights.pipeline.tasks import IngestTask
    from edinsights.testing.events import event_line, write_log

    log = write_log(tmp_path / "logs" / "tracking.log", [event_line(event_type="play_video")])
    (tmp_path / "logs" / "broken").symlink_to(tmp_path / "nowhere")
    task = IngestTask(home=str(tmp_path / "home"), paths=[str(tmp_path / "logs")])
    assert task.output().listing is None
    assert not task.complete()  # nothing ingested yet
    again = IngestTask(home=str(tmp_path / "home"), paths=[str(tmp_path / "logs")])
    assert again is task and again.output() is task.output()
    listing = again.output().listing
    assert [source.url for source in listing.files] == [str(log)]
    assert [entry["file"] for entry in listing.failed] == [str(tmp_path / "logs" / "broken")]
