"""Incremental compute: after new days arrive, the result tables equal a full recompute."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from edinsights.config import Settings
from edinsights.events.store import EventStore
from tests.conftest import run_ingest


def _tables(using: str) -> dict[str, list[tuple]]:
    from edinsights.metrics.registry import metrics
    from edinsights.results.models import model_for_table

    def normal(value: object) -> object:
        return value.astimezone(UTC) if isinstance(value, datetime) else value

    return {
        name: sorted(
            (
                tuple(normal(v) for v in row)
                for row in model_for_table(metric.table)
                .objects.using(using)
                .values_list(*metric.result_columns())
            ),
            key=repr,
        )
        for name, metric in metrics().items()
    }


@pytest.mark.slow
def test_incremental_equals_full(result_db: str, tmp_path: Path) -> None:
    from edinsights.demo.dataset import generate
    from edinsights.demo.simulate import SimulationConfig
    from edinsights.pipeline.compute import compute

    generate(
        SimulationConfig(seed=41, courses=3, learners=300, days=24, start=date(2024, 3, 4)), tmp_path / "sim"
    )
    logs = sorted((tmp_path / "sim" / "logs").glob("*.gz"))
    early, late = tmp_path / "early", tmp_path / "late"
    early.mkdir()
    late.mkdir()
    for path in logs[:17]:
        shutil.copy(path, early)
    for path in logs[17:]:
        shutil.copy(path, late)

    store = EventStore(Settings.load(tmp_path / "home").store_path)
    run_ingest(store, early)
    compute(store, using=result_db)
    run_ingest(store, late)
    incremental = compute(store, using=result_db)
    after_incremental = _tables(result_db)

    compute(store, using=result_db, full=True)
    assert _tables(result_db) == after_incremental
    # The incremental run republished only the recent part of the dated tables.
    full = compute(store, using=result_db, full=True)
    assert incremental.metrics["event_totals"] < full.metrics["event_totals"]
    assert incremental.metrics["course_activity"] < full.metrics["course_activity"]
    # Enrollment depends on later events back to a course's first day: always recomputed whole.
    assert incremental.metrics["enrollment_daily"] == full.metrics["enrollment_daily"]
