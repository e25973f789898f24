"""`edinsights ingest`: tracking logs into the event store."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from edinsights.cli.common import _ProgressBar
from edinsights.config import Settings


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.option("--workers", type=click.IntRange(min=1), help="Files processed in parallel (default: cores).")
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    help="Normalising threads per file (default: cores divided among the workers).",
)
@click.pass_obj
def ingest(
    home: str, paths: tuple[str, ...], as_json: bool, workers: int | None, threads: int | None
) -> None:
    """Ingest tracking logs into the event store.

    PATHS are files, directories (searched recursively), globs or s3://bucket/prefix URLs.
    Plain, gzip and bzip2 files are accepted. Files already ingested and unchanged are skipped;
    bad lines are counted and quarantined. Exit status 1 when an input could not be read (a file,
    a directory, a broken link or a link loop: listed as failed); FIFOs, sockets and devices are
    listed as skipped and never opened.
    """
    from edinsights.events.ingest import ingest as run_ingest
    from edinsights.events.sources import SourceError
    from edinsights.events.store import EventStore, StoreIncompatibleError, StoreLockedError

    console = Console(stderr=True)
    store = EventStore(Settings.load(home).store_path)
    with _ProgressBar(console) as progress:
        try:
            summary = run_ingest(list(paths), store, workers=workers, threads=threads, progress=progress)
        except (SourceError, StoreLockedError, StoreIncompatibleError) as error:
            raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(summary.to_dict(), sort_keys=True))
    else:
        _print_summary(Console(), summary)
    if summary.failed_files:
        sys.exit(1)


def _print_summary(console: Console, summary) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"ingest {summary.run_id}", show_header=False)
    table.add_row("files found", f"{summary.files_found:,}")
    table.add_row("files ingested", f"{summary.files_ingested:,}")
    table.add_row("files unchanged (skipped)", f"{summary.files_unchanged:,}")
    table.add_row("lines read", f"{summary.lines_read:,}")
    table.add_row("events stored", f"{summary.events_stored:,}")
    table.add_row("duplicates skipped", f"{summary.duplicates_skipped:,}")
    table.add_row("lines rejected", f"{summary.lines_rejected:,}")
    for reason, count in summary.rejected.items():
        table.add_row(f"  {reason}", f"{count:,}")
    table.add_row("invalid course ids (set to NULL)", f"{summary.invalid_course_ids:,}")
    for line_format, count in summary.other_formats.items():
        table.add_row(f"events read from the {line_format} format", f"{count:,}")
    if summary.utf8_repaired:
        table.add_row("lines with invalid UTF-8 repaired", f"{summary.utf8_repaired:,}")
    table.add_row("seconds", f"{summary.seconds:,.2f}")
    if summary.seconds:
        table.add_row("lines/s", f"{summary.lines_read / summary.seconds:,.0f}")
    console.print(table)
    for damaged in summary.damaged_files:
        console.print(f"[yellow]damaged:[/] {damaged['file']}: {damaged['damage']}")
    for skipped in summary.skipped_files:
        line = f"[yellow]skipped:[/] {escape(skipped['file'])}: {escape(skipped['reason'])}"
        console.print(line, highlight=False, soft_wrap=True)  # one line per input, whatever its length
    for failed in summary.failed_files:
        line = f"[red]failed:[/] {escape(failed['file'])}: {escape(failed['error'])}"
        console.print(line, highlight=False, soft_wrap=True)
