"""Run the luigi pipeline for `edinsights compute` and `edinsights run`."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date

import luigi

from edinsights.config import Settings
from edinsights.events.store import EventStore
from edinsights.pipeline.compute import ComputeError, require_events, selected_metrics


@dataclass
class PipelineSummary:
    computed: dict[str, int] = field(default_factory=dict)
    """Metrics published by this run, with their row counts."""
    up_to_date: list[str] = field(default_factory=list)
    """Metrics whose results were already current (nothing to do)."""
    seconds: float = 0.0


def run_pipeline(
    settings: Settings,
    *,
    paths: list[str] | None = None,
    only: list[str] | None = None,
    date_to: date | None = None,
    scheduler_url: str | None = None,
) -> PipelineSummary:
    """Ingest `paths` (if any), then bring every metric (or `only` these) up to date."""
    from edinsights.metrics.registry import metrics
    from edinsights.pipeline.tasks import ComputeAll
    from edinsights.results.models import MetricRun

    started = time.monotonic()
    names = selected_metrics(metrics(), only)
    if not paths:
        require_events(EventStore(settings.store_path))
    last_run = MetricRun.objects.order_by("-id").values_list("id", flat=True).first() or 0
    task = ComputeAll(
        home=str(settings.home),
        metrics=names,
        date_to=date_to.isoformat() if date_to else None,
        paths=list(paths or ()),
    )
    # luigi logs every scheduling step; the summary below says what matters.
    logging.getLogger("luigi-interface").setLevel(logging.WARNING)
    options = {"scheduler_url": scheduler_url} if scheduler_url else {"local_scheduler": True}
    result = luigi.build([task], workers=1, detailed_summary=True, log_level="WARNING", **options)
    if not result.scheduling_succeeded or result.status.name not in {"SUCCESS", "SUCCESS_WITH_RETRY"}:
        raise ComputeError(f"the pipeline did not finish: {result.summary_text.strip()}")
    summary = PipelineSummary()
    for run in MetricRun.objects.filter(id__gt=last_run, metric__in=names).order_by("id"):
        summary.computed[run.metric] = run.rows
    summary.up_to_date = [name for name in names if name not in summary.computed]
    summary.seconds = round(time.monotonic() - started, 3)
    return summary
