"""A metric's rows: lines in, one metric computed and published, its table read back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from edinsights.config import Settings
from edinsights.events.store import EventStore
from edinsights.testing.events import run_ingest, write_log


def published(
    tmp_path: Path, lines: list[str], metric: str, using: str, date_to: date | None = None
) -> list[dict]:
    """Ingest `lines`, compute and publish `metric` into the `using` database, read its rows back.

    The store is TMP_PATH/home's; the rows come sorted (by every column), as dicts of the metric's
    columns. Django must be set up (the `django_home` fixture) and `using` migrated (`result_db`).
    """
    from edinsights.metrics.registry import metrics
    from edinsights.pipeline.compute import compute
    from edinsights.results.models import model_for_table

    store = EventStore(Settings.load(tmp_path / "home").store_path)
    run_ingest(store, write_log(tmp_path / "t.log", lines))
    compute(store, only=[metric], date_to=date_to, using=using, full=True)
    declared = metrics()[metric]
    columns = declared.result_columns()
    rows = model_for_table(declared.table)._default_manager.using(using).values(*columns)
    return sorted(rows, key=lambda row: [repr(row[column]) for column in columns])
