"""What several command modules share: option groups, the web side's set-up, result-store errors,
the ingest progress bar."""

from __future__ import annotations

from types import TracebackType

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

from edinsights.config import Settings


def _option_group(*options):  # type: ignore[no-untyped-def]
    """One decorator applying several click options, in the order listed (shared by commands)."""

    def apply(function):  # type: ignore[no-untyped-def]
        for option in reversed(options):
            function = option(function)
        return function

    return apply


def _setup_web(home: str) -> Settings:
    from django.db import Error as DatabaseError

    from edinsights.web.server import setup_django

    settings = Settings.load(home)
    try:
        setup_django(settings)
    except DatabaseError as error:
        raise _database_error(settings, error) from error
    return settings


def _redacted(url: str) -> str:
    """A database URL without its password, for messages."""
    from edinsights.results.database import redacted

    return redacted(url)


def _database_error(settings: Settings, error: Exception) -> click.ClickException:
    """One `Error:` line: the driver's message (psycopg's spans lines) after the redacted URL."""
    return click.ClickException(
        f"result store {_redacted(settings.results_db)}: {' '.join(str(error).split())}"
    )


class _ProgressBar:
    """A rich progress display fed by the ingest's progress hook; silent when not on a terminal."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            TextColumn("{task.fields[files_done]}/{task.fields[files]} files"),
            DownloadColumn(),
            TransferSpeedColumn(),
            TextColumn("{task.fields[lines]:,} lines"),
            TextColumn("{task.fields[rate]:,.0f} lines/s"),
            TimeElapsedColumn(),
            console=console,
            disable=not console.is_terminal,
        )
        self._task = self._progress.add_task("ingest", total=None, files=0, files_done=0, lines=0, rate=0.0)
        self._sizes: dict[str, int] = {}
        self._read: dict[str, tuple[int, int]] = {}

    def __enter__(self) -> _ProgressBar:
        self._progress.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._progress.__exit__(kind, error, trace)

    def start(self, sizes: dict[str, int]) -> None:
        self._sizes = sizes
        self._progress.update(self._task, total=sum(sizes.values()), files=len(sizes))

    def update(self, url: str, bytes_read: int, lines: int) -> None:
        self._read[url] = (bytes_read, lines)
        line_count = sum(entry[1] for entry in self._read.values())
        done = sum(1 for name, entry in self._read.items() if entry[0] >= self._sizes.get(name, 0))
        elapsed = self._progress.tasks[0].elapsed or 1e-9
        self._progress.update(
            self._task,
            completed=sum(entry[0] for entry in self._read.values()),
            files_done=done,
            lines=line_count,
            rate=line_count / elapsed,
        )
