"""`edinsights migrate` and `edinsights serve`: the result store's tables and the web side."""

from __future__ import annotations

import click
from rich.console import Console

from edinsights.cli.common import _option_group, _redacted, _setup_web
from edinsights.config import Settings


@click.command()
@click.pass_obj
def migrate(home: str) -> None:
    """Create or update the result store's tables (the web side and metrics do it when needed)."""
    settings = _setup_web(home)
    click.echo(f"result store {_redacted(settings.results_db)} is up to date")


_serve_options = _option_group(
    click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on."),
    click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True),
    click.option(
        "--workers",
        type=click.IntRange(min=1),
        default=2,
        show_default=True,
        help="gunicorn workers.",
    ),
)


@click.command()
@_serve_options
@click.pass_obj
def serve(home: str, host: str, port: int, workers: int) -> None:
    """Serve the dashboard, the Data API and the event-store overview with gunicorn."""
    settings = _setup_web(home)  # the database down or a bad URL: one `Error:` line
    _serve(Console(), settings, host, port, workers)


def _serve(console: Console, settings: Settings, host: str, port: int, workers: int) -> None:
    import io

    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from edinsights.web.server import serve as run_server

    # Django's system checks (e.g. Chart.js missing from node_modules) stop here, with the fix.
    try:
        call_command("check", stdout=io.StringIO())
    except SystemCheckError as error:
        raise click.ClickException(str(error)) from error

    console.print(f"[bold]serving[/] http://{host}:{port}/ (home {settings.home}); Ctrl-C stops")
    run_server(host, port, workers)
