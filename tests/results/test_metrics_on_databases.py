"""Every metric published into SQLite, MariaDB and PostgreSQL reads back exactly as computed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from edinsights.config import Settings
from edinsights.events.store import EventStore
from tests.conftest import run_ingest


@pytest.fixture(scope="module")
def simulated_store(tmp_path_factory: pytest.TempPathFactory) -> EventStore:
    from edinsights.demo.dataset import generate, import_structure_exports
    from edinsights.demo.simulate import SimulationConfig

    root = tmp_path_factory.mktemp("metrics-db")
    generate(
        SimulationConfig(seed=21, courses=3, learners=200, days=15, start=date(2024, 9, 2)), root / "sim"
    )
    store = EventStore(Settings.load(root / "home").store_path)
    run_ingest(store, root / "sim" / "logs", workers=2)
    import_structure_exports(store.root, root / "sim")  # the metrics that read the outline
    return store


def _comparable(value: object) -> object:
    # DuckDB gives naive UTC datetimes; Django gives aware ones in UTC.
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def test_published_results_match_the_computed_rows(result_db: str, simulated_store: EventStore) -> None:
    from edinsights.engine.duckdb_engine import connect, run
    from edinsights.metrics.registry import metrics
    from edinsights.pipeline.compute import compute
    from edinsights.results.models import model_for_table

    summary = compute(simulated_store, using=result_db)
    connection = connect(simulated_store)
    for name, metric in metrics().items():
        expected = sorted(
            (tuple(_comparable(v) for v in row) for row in run(connection, metric, date(2024, 9, 16))),
            key=repr,
        )
        stored = model_for_table(metric.table).objects.using(result_db).values_list(*metric.result_columns())
        assert sorted((tuple(row) for row in stored), key=repr) == expected, name
        assert summary.metrics[name] == len(expected) > 0, name
