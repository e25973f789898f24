"""The `edinsights` command. Thin: parses options and calls into the packages."""

from __future__ import annotations

import json
import os
import sys

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from edinsights.config import DEFAULT_HOME, ConfigError, Settings


class _Commands(click.Group):
    """The command group: a configuration file edinsights cannot use is a message, not a traceback."""

    def invoke(self, context: click.Context) -> object:
        try:
            return super().invoke(context)
        except ConfigError as error:
            raise click.ClickException(str(error)) from error


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home",
    envvar="EDINSIGHTS_HOME",
    default=DEFAULT_HOME,
    show_default=True,
    type=click.Path(file_okay=False),
    help="Directory holding the configuration file, the event store and the default result store "
    "(env EDINSIGHTS_HOME).",
)
@click.option(
    "--results-db",
    envvar="EDINSIGHTS_RESULTS_DB",
    metavar="URL",
    help="Result store: sqlite:///PATH, mysql://USER[:PASSWORD]@HOST/DB or postgresql://USER@HOST/DB "
    "(env EDINSIGHTS_RESULTS_DB; default SQLite at HOME/results.sqlite3).",
)
@click.version_option(package_name="edinsights")
@click.pass_context
def main(context: click.Context, home: str, results_db: str | None) -> None:
    """edinsights: open learning analytics for Open edX."""
    if results_db:
        # Settings.load (here and in the web side's Django settings) reads it from there.
        os.environ["EDINSIGHTS_RESULTS_DB"] = results_db
    # Loaded by the commands that need it, so that `--help` creates no home directory.
    context.obj = home


@main.command()
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


@main.command()
@click.pass_obj
def migrate(home: str) -> None:
    """Create or update the result store's tables (the web side and metrics do it when needed)."""
    settings = _setup_web(home)
    click.echo(f"result store {_redacted(settings.results_db)} is up to date")


def _option_group(*options):  # type: ignore[no-untyped-def]
    """One decorator applying several click options, in the order listed (shared by commands)."""

    def apply(function):  # type: ignore[no-untyped-def]
        for option in reversed(options):
            function = option(function)
        return function

    return apply


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


@main.command()
@_pipeline_options
@click.pass_obj
def compute(home: str, **options) -> None:  # type: ignore[no-untyped-def]
    """Bring the metrics up to date from the event store and publish them (luigi)."""
    _run_pipeline(home, None, **options)


@main.command(name="run")
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
        rows = f"{summary.rows:,} rows in {summary.seconds:.2f} s"
        click.echo(f"{len(summary.computed)} metrics computed, {rows}")
        for skipped in summary.skipped_inputs:
            click.echo(f"skipped: {skipped['file']}: {skipped['reason']}")
        for failed in summary.failed_inputs:
            click.echo(f"failed: {failed['file']}: {failed['error']}", err=True)
    if summary.failed_inputs:  # computed from what could be read, but cron must hear of the rest
        sys.exit(1)


@main.group()
def token() -> None:
    """Data API tokens."""


@token.command(name="create")
@click.argument("username")
@click.option(
    "--course", "courses", multiple=True, metavar="ID", help="A course the token may read (repeatable)."
)
@click.option("--all-courses", is_flag=True, help="The token may read every course.")
@click.pass_obj
def token_create(home: str, username: str, courses: tuple[str, ...], all_courses: bool) -> None:
    """Create (or replace) USERNAME's API token and print it; USERNAME is created if new."""
    _setup_web(home)
    from edinsights.api.tokens import GrantError, create_token

    try:
        click.echo(create_token(username, courses, all_courses))
    except GrantError as error:
        raise click.ClickException(str(error)) from error


@token.command(name="list")
@click.pass_obj
def token_list(home: str) -> None:
    """List the API tokens: user, the key's first characters, when made (no secrets)."""
    _setup_web(home)
    from edinsights.api.tokens import list_tokens

    table = Table(box=None, pad_edge=False)
    for column in ("username", "prefix", "created"):
        table.add_column(column)
    for info in list_tokens():
        table.add_row(info.username, info.prefix, f"{info.created:%Y-%m-%d %H:%M:%S} UTC")
    Console(width=max(Console().width, 120)).print(table)


@token.command(name="revoke")
@click.argument("name_or_prefix", metavar="USERNAME|PREFIX")
@click.pass_obj
def token_revoke(home: str, name_or_prefix: str) -> None:
    """Revoke USERNAME's token, or the token whose key starts with PREFIX (see `token list`)."""
    _setup_web(home)
    from edinsights.api.tokens import TokenError, revoke_tokens

    try:
        revoked = revoke_tokens(name_or_prefix)
    except TokenError as error:
        raise click.ClickException(str(error)) from error
    for info in revoked:
        click.echo(f"revoked the token {info.prefix}… of {info.username}")


@main.command(name="grant")
@click.argument("username")
@click.argument("courses", nargs=-1)
@click.option("--all-courses", is_flag=True, help="Every course.")
@click.pass_obj
def grant_command(home: str, username: str, courses: tuple[str, ...], all_courses: bool) -> None:
    """Let USERNAME read COURSES (in the API and the dashboard); USERNAME is created if new."""
    _setup_web(home)
    from edinsights.api.tokens import GrantError, grant

    try:
        granted = grant(username, courses, all_courses)
    except GrantError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{username} may read {'every course' if all_courses else ', '.join(granted)}")


@main.group()
def user() -> None:
    """Accounts that sign in with a password (LMS users get theirs at their first sign-in)."""


@user.command(name="create")
@click.argument("username")
@click.option("--email", default="", help="E-mail address.")
@click.option("--staff", is_flag=True, help="May read every course.")
@click.option("--superuser", is_flag=True, help="Every permission (implies --staff).")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (default: ask twice on the terminal).",
)
@click.pass_obj
def user_create(
    home: str, username: str, email: str, staff: bool, superuser: bool, password_stdin: bool
) -> None:
    """Create the account USERNAME with a password.

    It reads the courses `edinsights grant` gives it; --staff and --superuser read every course.
    """
    _setup_web(home)
    from edinsights.web.accounts import AccountError, check_new_account, create_account

    try:
        # Before the password, so that a taken name is not found after typing it twice.
        check_new_account(username, email)
        account = create_account(username, _new_password(password_stdin), email, staff, superuser)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    role = "superuser" if account.superuser else "staff" if account.staff else "reads granted courses only"
    click.echo(f"created user {account.username} ({role})")


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        # One line, so that `printf '%s\n' "$PASSWORD" | edinsights user create ...` works; the
        # line end is not part of the password, other white space is.
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.ClickException("no password on standard input")
        return password
    if not _stdin_is_terminal():
        raise click.ClickException("no terminal to ask for the password on: give --password-stdin")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


@user.command(name="list")
@click.pass_obj
def user_list(home: str) -> None:
    """List the accounts: roles, how they sign in, and the courses they read."""
    _setup_web(home)
    from edinsights.web.accounts import list_accounts

    table = Table(box=None, pad_edge=False)
    for column in ("username", "email", "role", "sign-in", "courses"):
        table.add_column(column)
    for account in list_accounts():
        role = "superuser" if account.superuser else "staff" if account.staff else "-"
        ways = [("password", account.password), ("sso", account.sso)]
        sign_in = ", ".join(name for name, has in ways if has)
        courses = "all" if account.courses is None else ", ".join(account.courses) or "-"
        inactive = "" if account.active else " (inactive)"
        table.add_row(account.username + inactive, account.email or "-", role, sign_in or "-", courses)
    # Wide enough that course ids are never cut, also when piped.
    Console(width=max(Console().width, 200)).print(table)


@user.command(name="deactivate")
@click.argument("username")
@click.pass_obj
def user_deactivate(home: str, username: str) -> None:
    """Stop USERNAME: no sign-in, its open sessions end, its API token is refused."""
    _set_active(home, username, False)


@user.command(name="activate")
@click.argument("username")
@click.pass_obj
def user_activate(home: str, username: str) -> None:
    """Let a deactivated USERNAME sign in and use its API token again."""
    _set_active(home, username, True)


def _set_active(home: str, username: str, active: bool) -> None:
    _setup_web(home)
    from edinsights.web.accounts import AccountError, set_active

    try:
        changed = set_active(username, active)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    state = "active" if active else "deactivated"
    click.echo(f"{username} {'is now' if changed else 'was already'} {state}")


@user.command(name="unlock")
@click.argument("username")
@click.option("--address", metavar="IP", help="Also lift the lock of this client address.")
@click.pass_obj
def user_unlock(home: str, username: str, address: str | None) -> None:
    """Lift a sign-in lockout of USERNAME now, rather than at the end of its cool-off."""
    import ipaddress

    if address:
        try:
            ipaddress.ip_address(address)
        except ValueError as error:
            raise click.ClickException(f"not an IP address: {address!r}") from error
    _setup_web(home)
    from edinsights.web.accounts import unlock, unlock_address

    forgotten = unlock(username) + (unlock_address(address) if address else 0)
    click.echo(
        f"unlocked {username}{f' and {address}' if address else ''} ({forgotten} failure records removed)"
    )


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


# The options that size a simulated data set (generate and demo).
_simulation_options = _option_group(
    click.option("--seed", type=int, default=1, show_default=True, help="Random seed: same seed, same logs."),
    click.option("--courses", type=click.IntRange(min=1), default=4, show_default=True),
    click.option("--learners", type=click.IntRange(min=1), default=3000, show_default=True),
    click.option("--days", type=click.IntRange(min=1), default=90, show_default=True),
    click.option(
        "--start",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default="2024-01-01",
        show_default=True,
        help="First simulated day.",
    ),
    click.option(
        "--events",
        type=click.IntRange(min=1),
        help="Target number of events: sets --learners to reach about this many.",
    ),
    click.option(
        "--dirt",
        type=click.FloatRange(0, 0.5),
        default=0.01,
        show_default=True,
        help="Share of dirty lines.",
    ),
)


def _simulation_config(seed, courses, learners, days, start, events, dirt):  # type: ignore[no-untyped-def]
    from edinsights.demo.dataset import learners_for_events
    from edinsights.demo.simulate import SimulationConfig

    config = SimulationConfig(
        seed=seed, courses=courses, learners=learners, days=days, start=start.date(), dirt=dirt
    )
    if events:
        config.learners = learners_for_events(config, events)
    return config


@main.command()
@click.argument("out_dir", type=click.Path(file_okay=False))
@_simulation_options
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
def generate(out_dir: str, as_json: bool, **options: object) -> None:
    """Simulate courses and learners; write tracking logs and ground truth to OUT_DIR.

    Writes OUT_DIR/logs/tracking.log-YYYYMMDD.gz (one gzip file per day, named like logrotate
    names them) and OUT_DIR/ground_truth.json (what the simulator did, per course and day).
    """
    from pathlib import Path

    from edinsights.demo.dataset import generate as run_generate

    config = _simulation_config(**options)
    console = Console(stderr=True)
    with Progress(console=console, disable=not console.is_terminal) as progress:
        task = progress.add_task("generate", total=config.days)
        summary = run_generate(
            config, Path(out_dir), lambda day, events: progress.update(task, completed=day)
        )
    if as_json:
        click.echo(json.dumps(summary.to_dict() | {"files": len(summary.files)}, sort_keys=True))
        return
    click.echo(
        f"{summary.events:,} events from {summary.learners:,} learners in {len(summary.courses)} courses, "
        f"{summary.lines:,} lines in {len(summary.files)} files under {Path(out_dir) / 'logs'} "
        f"({summary.seconds:.1f} s, {summary.events / max(summary.seconds, 1e-9):,.0f} events/s)"
    )


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


@main.command()
@click.option("--no-serve", is_flag=True, help="Do everything except serve.")
@_simulation_options
@_serve_options
@click.pass_obj
def demo(home: str, no_serve: bool, host: str, port: int, workers: int, **options: object) -> None:
    """Show edinsights working end to end on a simulated data set.

    Generates a data set into HOME/demo (reused when it is already there), ingests it into the
    event store, creates the demo sign-in (printed), and serves the web side on
    http://127.0.0.1:8000 with gunicorn. Re-running is fast: nothing is generated or ingested
    twice.
    """
    from edinsights.demo.run import DemoError, prepare_demo

    settings = Settings.load(home)
    console = Console()
    with _ProgressBar(Console(stderr=True)) as progress:
        try:
            username, password = prepare_demo(
                settings, _simulation_config(**options), console.print, progress
            )
        except DemoError as error:
            raise click.ClickException(str(error)) from error
    console.print(
        f"[bold]4. dashboard[/]: http://{host}:{port}/ — "
        f"username [bold]{username}[/], password [bold]{password}[/]"
    )
    from django.contrib.auth import get_user_model

    from edinsights.api.tokens import kept_token

    # The result store keeps only a digest: the demo's key is kept beside its password (0600).
    demo_user = get_user_model().objects.get(username=username)
    header = f"Authorization: Token {kept_token(demo_user, settings.home / 'demo' / 'api-token')}"
    console.print(f"[bold]5. Data API[/]: http://{host}:{port}/api/docs/ — header [bold]{header}[/]")
    if not no_serve:
        _serve(console, settings, host, port, workers)


@main.command()
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

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(*exc)

    def step(self, name: str, event: str) -> None:
        if event == "start":
            self._tasks[name] = self._progress.add_task(f"{name}…", total=1)
        elif name in self._tasks:
            self._progress.update(self._tasks[name], completed=1, description=f"{name} [green]done")


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

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(*exc)

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
