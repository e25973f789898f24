"""Run the luigi pipeline for `edinsights compute` and `edinsights run`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import luigi

from edinsights.config import Settings
from edinsights.events.ingest import IngestSummary
from edinsights.events.sources import find_inputs
from edinsights.events.store import EventStore
from edinsights.pipeline.compute import (
    ComputeError,
    check_range,
    recorded_run,
    require_events,
    selected_metrics,
)

StepListener = Callable[[str, str], None]
"""Told (step, "start" | "success") as the pipeline runs: step is "ingest" or a metric name."""


@dataclass
class PipelineSummary:
    computed: dict[str, int] = field(default_factory=dict)
    """Metrics published by this run, with their row counts."""
    up_to_date: list[str] = field(default_factory=list)
    """Metrics whose results were already current (nothing to do)."""
    rows: int = 0
    """Rows published in all."""
    failed_inputs: list[dict[str, str]] = field(default_factory=list)
    """Inputs the ingest step could not read (as IngestSummary.failed_files)."""
    skipped_inputs: list[dict[str, str]] = field(default_factory=list)
    """Inputs it passed over as no log file (as IngestSummary.skipped_files)."""
    seconds: float = 0.0


def run_pipeline(
    settings: Settings,
    *,
    paths: list[str] | None = None,
    only: list[str] | None = None,
    date_to: date | None = None,
    date_from: date | None = None,
    scheduler_url: str | None = None,
    on_step: StepListener | None = None,
) -> PipelineSummary:
    """Ingest `paths` (if any), then bring every metric (or `only` these) up to date.

    `date_from` recomputes the rows from that day on even where they are current. A task's
    failure is raised again here as the exception the task raised (a ComputeError for a range
    outside the data, a database error, ...), so that callers can say it in one line.
    """
    from edinsights.metrics.registry import metrics
    from edinsights.pipeline.tasks import ComputeAll, IngestTask, MetricTask, listen
    from edinsights.results.models import MetricRun

    started = time.monotonic()
    names = selected_metrics(metrics(), only)
    check_range(date_from, date_to)
    if not paths:
        require_events(EventStore(settings.store_path))
    last_run = MetricRun.objects.order_by("-id").values_list("id", flat=True).first() or 0
    task = ComputeAll(
        home=str(settings.home),
        metrics=names,
        date_to=date_to.isoformat() if date_to else None,
        date_from=date_from.isoformat() if date_from else None,
        requested_at=datetime.now(UTC).isoformat(timespec="microseconds") if date_from else None,
        paths=list(paths or ()),
    )
    failures: list[BaseException] = []
    summary = PipelineSummary()
    reported: list[IngestSummary] = []

    def relay(event: str, luigi_task: luigi.Task, error: BaseException | None) -> None:
        if error is not None:
            failures.append(error)
        if event == "success" and isinstance(luigi_task, IngestTask):
            reported.append(luigi_task.summary)
        elif on_step and isinstance(luigi_task, IngestTask | MetricTask):
            on_step("ingest" if isinstance(luigi_task, IngestTask) else str(luigi_task.metric), event)

    # luigi logs every scheduling step, and a failed task with its traceback; the failure is
    # raised again below (traceback included) and the summary says the rest.
    logging.getLogger("luigi-interface").setLevel(logging.CRITICAL)
    if scheduler_url:
        _check_reachable(scheduler_url)
    options = {"scheduler_url": scheduler_url} if scheduler_url else {"local_scheduler": True}
    stop_listening = listen(relay)
    with recorded_run():
        try:
            result = luigi.build([task], workers=1, detailed_summary=True, log_level="CRITICAL", **options)
        finally:
            stop_listening()
        if failures:
            raise failures[0]
        if not result.scheduling_succeeded or result.status.name not in {"SUCCESS", "SUCCESS_WITH_RETRY"}:
            raise ComputeError(f"the pipeline did not finish: {result.summary_text.strip()}")
    if reported:
        summary.failed_inputs, summary.skipped_inputs = reported[0].failed_files, reported[0].skipped_files
    elif paths:  # nothing new to ingest, but what cannot be read is still to be reported
        # The listing the up-to-date check made (luigi gives back the same task for the same parameters).
        listing = IngestTask(home=str(settings.home), paths=list(paths)).output().listing or find_inputs(
            paths
        )
        summary.failed_inputs, summary.skipped_inputs = listing.failed, listing.skipped
    for run in MetricRun.objects.filter(id__gt=last_run, metric__in=names).order_by("id"):
        summary.computed[run.metric] = run.rows
    summary.up_to_date = [name for name in names if name not in summary.computed]
    summary.rows = sum(summary.computed.values())
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def _check_reachable(scheduler_url: str) -> None:
    """Fail at once when luigid does not answer (luigi itself would retry for minutes)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(scheduler_url.rstrip("/") + "/api/task_list?data={}", timeout=5):
            pass
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise ComputeError(f"cannot reach the luigi scheduler at {scheduler_url}: {reason}") from error
