"""luigi tasks: ingest → one task per metric → publication.

A task is complete when its target exists, and the targets are defined by the state of the
stores, so that running the pipeline twice does nothing the second time and a crash resumes
where it stopped:

- `IngestTask` is complete when no file under its paths is new or changed since the manifest
  recorded it.
- `MetricTask` is complete when the metric's last publication (edinsights_metric_run) finished
  after what it reads last changed (the event store's last ingest; for a metric that reads the
  course structure, the last structure import; a metric that reads only the structure is not
  made stale by an ingest) and covered the same last day; with `date_from` (a forced
  recompute, `--from`), when it was published after the run that asked for it began.

luigi's local scheduler runs them in this process by default; `scheduler_url` hands them to a
central `luigid`, which shows the task graph.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date
from typing import TYPE_CHECKING

import luigi

from edinsights.config import Settings
from edinsights.events.store import EventStore

if TYPE_CHECKING:
    from edinsights.events.sources import Listing


class _IngestedTarget(luigi.Target):
    def __init__(self, store: EventStore, paths: list[str]) -> None:
        self.store = store
        self.paths = paths
        self.listing: Listing | None = None
        """What the last `exists()` found at `paths` (run_pipeline reports its unreadable inputs
        when there was nothing to ingest, without walking the inputs again)."""

    def exists(self) -> bool:
        from edinsights.events.ingest import unchanged
        from edinsights.events.sources import find_inputs

        known = self.store.manifest.entries()
        self.listing = find_inputs(self.paths)
        return all(unchanged(known.get(source.url), source) for source in self.listing.files)


class IngestTask(luigi.Task):
    home = luigi.Parameter()
    paths = luigi.ListParameter()

    def output(self) -> _IngestedTarget:
        # One target per task (luigi keeps one task per parameters), so its listing can be read back.
        if "_target" not in self.__dict__:
            self._target = _IngestedTarget(_store(self.home), list(self.paths))
        return self._target

    def run(self) -> None:
        from edinsights.events.ingest import ingest

        summary = ingest(list(self.paths), _store(self.home))
        self.summary = summary  # read by run_pipeline (luigi runs the task in this process)
        # luigi declares it None; its worker sets it before run().
        message = f"{summary.events_stored} events stored from {summary.files_ingested} files"
        self.set_status_message(message)  # type: ignore[misc]


class _PublishedTarget(luigi.Target):
    def __init__(self, store: EventStore, metric: str, date_to: date | None, since: str | None) -> None:
        self.store = store
        self.metric = metric
        self.date_to = date_to
        self.since = since

    def exists(self) -> bool:
        from edinsights.results.models import MetricRun
        from edinsights.structure.storage import StructureStore

        entries = self.store.manifest.entries().values()
        last_ingest = max((entry.ingested_at for entry in entries), default=None)
        run = MetricRun.objects.filter(metric=self.metric).order_by("-finished").first()
        if run is None or last_ingest is None:
            return False
        same_range = self.date_to is None or run.date_to == self.date_to
        published = run.started.astimezone(UTC).isoformat(timespec="microseconds")
        reads_events, reads_structure = _reads(self.metric)
        changed = [self.since or ""]
        if reads_events:
            changed.append(last_ingest)
        if reads_structure:
            changed.append(str(StructureStore(self.store.root).current().get("imported_at") or ""))
        return same_range and published >= max(changed)


def _reads(metric: str) -> tuple[bool, bool]:
    """Whether the metric reads events (or side tables made from them), and the structure."""
    from edinsights.metrics.registry import metrics
    from edinsights.structure.metrics import STRUCTURE_VIEWS

    declared = metrics().get(metric)
    inputs = set(declared.inputs) if declared else {"events"}
    return bool(inputs - set(STRUCTURE_VIEWS)), bool(inputs & set(STRUCTURE_VIEWS))


class MetricTask(luigi.Task):
    home = luigi.Parameter()
    metric = luigi.Parameter()
    date_to = luigi.OptionalParameter(default=None)
    """ISO date; None: the last day in the event store."""
    date_from = luigi.OptionalParameter(default=None)
    """ISO date: recompute the rows from this day on even if they are current (`--from`)."""
    requested_at = luigi.OptionalParameter(default=None)
    """With `date_from`: when the forced recompute was asked for (ISO UTC timestamp)."""
    paths = luigi.ListParameter(default=())
    """Logs to ingest first (`edinsights run`); empty: compute from the store as it is."""

    def requires(self) -> list[luigi.Task]:
        return [IngestTask(home=self.home, paths=self.paths)] if self.paths else []

    def output(self) -> _PublishedTarget:
        since = self.requested_at if self.date_from else None
        return _PublishedTarget(_store(self.home), str(self.metric), _date(self.date_to), since)

    def complete(self) -> bool:
        # luigi does not look at the requirements of a complete task: logs waiting to be
        # ingested must make the metric incomplete, or they would never be ingested (a metric
        # that reads only the structure is not: new events do not change it).
        if not _reads(str(self.metric))[0]:
            return self.output().exists()
        return all(task.complete() for task in self.requires()) and self.output().exists()

    def run(self) -> None:
        from edinsights.pipeline.compute import compute

        summary = compute(
            _store(self.home),
            only=[str(self.metric)],
            date_to=_date(self.date_to),
            date_from=_date(self.date_from),
        )
        # luigi declares it None; its worker sets it before run().
        self.set_status_message(f"{summary.metrics[str(self.metric)]} rows through {summary.date_to}")  # type: ignore[misc]


class ComputeAll(luigi.WrapperTask):
    home = luigi.Parameter()
    metrics = luigi.ListParameter()
    date_to = luigi.OptionalParameter(default=None)
    date_from = luigi.OptionalParameter(default=None)
    requested_at = luigi.OptionalParameter(default=None)
    paths = luigi.ListParameter(default=())

    def requires(self) -> list[MetricTask]:
        return [
            MetricTask(
                home=self.home,
                metric=name,
                date_to=self.date_to,
                date_from=self.date_from,
                requested_at=self.requested_at,
                paths=self.paths,
            )
            for name in self.metrics
        ]


TaskListener = Callable[[str, luigi.Task, BaseException | None], None]
"""Told ("start" | "success" | "failure", task, the failure's exception) as tasks run."""

_listeners: list[TaskListener] = []


def listen(listener: TaskListener) -> Callable[[], None]:
    """Call `listener` for each task event of this process's luigi workers; returns the way to stop."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)


# luigi runs the tasks in this process (also with a central scheduler, which only schedules),
# so its class-level event hooks see every task; they forward to whoever listens now.
@luigi.Task.event_handler(luigi.Event.START)
def _started(task: luigi.Task) -> None:
    for listener in list(_listeners):
        listener("start", task, None)


@luigi.Task.event_handler(luigi.Event.SUCCESS)
def _succeeded(task: luigi.Task) -> None:
    for listener in list(_listeners):
        listener("success", task, None)


@luigi.Task.event_handler(luigi.Event.FAILURE)
def _failed(task: luigi.Task, exception: BaseException) -> None:
    for listener in list(_listeners):
        listener("failure", task, exception)


def _store(home: str) -> EventStore:
    return EventStore(Settings.load(home).store_path)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
