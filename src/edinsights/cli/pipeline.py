"""`edinsights compute` and `edinsights run`: the metrics pipeline (luigi), with its step display."""

from __future__ import annotations

import json
import sys
from types import TracebackType

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from edinsights.cli.common import _database_error, _option_group
from edinsights.config import Settings

_pipeline_options = _option_group(
    click.option(
        "--from",
        "date_from",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Recompute the rows from this day on even if they are current (default: only what changed).",
    ),
    click.option(
        "--to",
        "date_to",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Last day to compute (default: the last day in the event store).",
    ),
    click.option("--only", multiple=True, metavar="METRIC", help="Only this metric (repeatable)."),
    click.option(
        "--scheduler-url",
        metavar="URL",
        help="A central luigid (e.g. http://127.0.0.1:8082); default: luigi's local scheduler.",
    ),
    click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object."),
)


@click.command()
@_pipeline_options
@click.pass_obj
def compute(home: str, **options) -> None:  # type: ignore[no-untyped-def]
    """Bring the metrics up to date from the event store and publish them (luigi)."""
    _run_pipeline(home, None, **options)


@click.command(name="run")
@click.argument("paths", nargs=-1, required=True)
@_pipeline_options
@click.pass_obj
def run_command(home: str, paths: tuple[str, ...], **options) -> None:  # type: ignore[no-untyped-def]
    """Ingest PATHS, then bring the metrics up to date: what cron calls."""
    _run_pipeline(home, list(paths), **options)


def _run_pipeline(home, paths, date_from, date_to, only, scheduler_url, as_json) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import asdict

    from django.db import Error as DatabaseError

    from edinsights.events.sources import SourceError
    from edinsights.pipeline.compute import ComputeError
    from edinsights.pipeline.orchestrate import run_pipeline
    from edinsights.web.server import setup_django

    settings = Settings.load(home)
    try:
        setup_django(settings)
        with _StepDisplay(Console(stderr=True)) as display:
            summary = run_pipeline(
                settings,
                paths=paths,
                only=list(only) or None,
                date_from=date_from.date() if date_from else None,
                date_to=date_to.date() if date_to else None,
                scheduler_url=scheduler_url,
                on_step=display.step,
            )
    except (ComputeError, SourceError) as error:
        raise click.ClickException(str(error)) from error
    except DatabaseError as error:
        raise _database_error(settings, error) from error
    if as_json:
        click.echo(json.dumps(asdict(summary), sort_keys=True))
    else:
        for name, rows in summary.computed.items():
            click.echo(f"{name}: {rows:,} rows published")
        if summary.up_to_date:
            click.echo(f"already up to date: {', '.join(summary.up_to_date)}")
        total = f"{summary.rows:,} rows in {summary.seconds:.2f} s"
        click.echo(f"{len(summary.computed)} metrics computed, {total}")
        for skipped in summary.skipped_inputs:
            click.echo(f"skipped: {skipped['file']}: {skipped['reason']}")
        for failed in summary.failed_inputs:
            click.echo(f"failed: {failed['file']}: {failed['error']}", err=True)
    if summary.failed_inputs:  # computed from what could be read, but cron must hear of the rest
        sys.exit(1)


class _StepDisplay:
    """The pipeline's current step (ingest, then each metric) and the steps done; silent when piped."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            disable=not console.is_terminal,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> _StepDisplay:
        self._progress.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._progress.__exit__(kind, error, trace)

    def step(self, name: str, event: str) -> None:
        if event == "start":
            self._tasks[name] = self._progress.add_task(f"{name}…", total=1)
        elif name in self._tasks:
            self._progress.update(self._tasks[name], completed=1, description=f"{name} [green]done")
