"""Daily event totals, per course and overall, against the simulator's ground truth."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from edinsights.config import Settings
from edinsights.engine.duckdb_engine import connect, run
from edinsights.events.store import EventStore
from edinsights.metrics.registry import metrics
from tests.conftest import run_ingest


def test_event_totals_agree_with_the_simulator(tmp_path: Path) -> None:
    from edinsights.demo.dataset import generate
    from edinsights.demo.simulate import SimulationConfig

    generate(
        SimulationConfig(seed=14, courses=3, learners=300, days=10, start=date(2024, 7, 1)), tmp_path / "sim"
    )
    truth = json.loads((tmp_path / "sim" / "ground_truth.json").read_text())
    store = EventStore(Settings.load(tmp_path / "home").store_path)
    summary = run_ingest(store, tmp_path / "sim" / "logs", workers=2)
    rows = run(connect(store), metrics()["event_totals"], date(2024, 7, 10))
    per_course = {(row[0], row[1].isoformat()): (row[2], row[3]) for row in rows if row[0] is not None}
    overall = {row[1].isoformat(): (row[2], row[3]) for row in rows if row[0] is None}
    for day in truth["daily"]:
        if day["events"] or day["enrollments"] or day["unenrollments"] or day["mode_changes"]:
            events, active = per_course[(day["course_id"], day["date"])]
            enrollment_events = day["enrollments"] + day["unenrollments"] + day["mode_changes"]
            assert (events, active) == (day["events"] + enrollment_events, day["active"]), day
    # Overall: every stored event, including those without a valid course.
    assert sum(events for events, _ in overall.values()) == summary.events_stored
