"""`edinsights generate` and `edinsights demo`: simulated data sets, the end-to-end demo."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.progress import Progress

from edinsights.cli.common import _option_group, _ProgressBar
from edinsights.cli.web import _serve, _serve_options
from edinsights.config import Settings

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


@click.command()
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


@click.command()
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
