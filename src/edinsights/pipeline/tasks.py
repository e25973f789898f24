"""luigi tasks: ingest → one task per metric → publication.

A task is complete when its target exists, and the targets are defined by the state of the
stores, so that running the pipeline twice does nothing the second time and a crash resumes
where it stopped:

- `IngestTask` is complete when no file under its paths is new or changed since the manifest
  recorded it.
- `MetricTask` is complete when the metric's last publication (edinsights_metric_run) finished
  after the event store's last ingest and covered the same last day.

luigi's local scheduler runs them in this process by default; `scheduler_url` hands them to a
central `luigid`, which shows the task graph.
"""

from __future__ import annotations

from datetime import UTC, date

import luigi

from edinsights.config import Settings
from edinsights.events.store import EventStore


class _IngestedTarget(luigi.Target):
    def __init__(self, store: EventStore, paths: list[str]) -> None:
        self.store = store
        self.paths = paths

    def exists(self) -> bool:
        from edinsights.events.ingest import unchanged
        from edinsights.events.sources import find_sources

        known = self.store.manifest.entries()
        return all(unchanged(known.get(source.url), source) for source in find_sources(self.paths))


class IngestTask(luigi.Task):
    home = luigi.Parameter()
    paths = luigi.ListParameter()

    def output(self) -> _IngestedTarget:
        return _IngestedTarget(_store(self.home), list(self.paths))

    def run(self) -> None:
        from edinsights.events.ingest import ingest

        summary = ingest(list(self.paths), _store(self.home))
        self.set_status_message(f"{summary.events_stored} events stored from {summary.files_ingested} files")


class _PublishedTarget(luigi.Target):
    def __init__(self, store: EventStore, metric: str, date_to: date | None) -> None:
        self.store = store
        self.metric = metric
        self.date_to = date_to

    def exists(self) -> bool:
        from edinsights.results.models import MetricRun

        entries = self.store.manifest.entries().values()
        last_ingest = max((entry.ingested_at for entry in entries), default=None)
        run = MetricRun.objects.filter(metric=self.metric).order_by("-finished").first()
        if run is None or last_ingest is None:
            return False
        same_range = self.date_to is None or run.date_to == self.date_to
        return same_range and run.finished.astimezone(UTC).isoformat(timespec="microseconds") >= last_ingest


class MetricTask(luigi.Task):
    home = luigi.Parameter()
    metric = luigi.Parameter()
    date_to = luigi.OptionalParameter(default=None)
    """ISO date; None: the last day in the event store."""
    paths = luigi.ListParameter(default=())
    """Logs to ingest first (`edinsights run`); empty: compute from the store as it is."""

    def requires(self) -> list[luigi.Task]:
        return [IngestTask(home=self.home, paths=self.paths)] if self.paths else []

    def output(self) -> _PublishedTarget:
        return _PublishedTarget(_store(self.home), str(self.metric), _date(self.date_to))

    def complete(self) -> bool:
        # luigi does not look at the requirements of a complete task: logs waiting to be
        # ingested must make the metric incomplete, or they would never be ingested.
        return all(task.complete() for task in self.requires()) and self.output().exists()

    def run(self) -> None:
        from edinsights.pipeline.compute import compute

        summary = compute(_store(self.home), only=[str(self.metric)], date_to=_date(self.date_to))
        self.set_status_message(f"{summary.metrics[str(self.metric)]} rows through {summary.date_to}")


class ComputeAll(luigi.WrapperTask):
    home = luigi.Parameter()
    metrics = luigi.ListParameter()
    date_to = luigi.OptionalParameter(default=None)
    paths = luigi.ListParameter(default=())

    def requires(self) -> list[MetricTask]:
        return [
            MetricTask(home=self.home, metric=name, date_to=self.date_to, paths=self.paths)
            for name in self.metrics
        ]


def _store(home: str) -> EventStore:
    return EventStore(Settings.load(home).store_path)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
