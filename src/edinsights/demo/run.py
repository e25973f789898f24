"""`edinsights demo`: a simulated data set, ingested and ready to serve, in one step."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from edinsights.config import Settings
from edinsights.demo.dataset import existing, generate
from edinsights.demo.simulate import SimulationConfig
from edinsights.events.ingest import ProgressHook, ingest
from edinsights.events.store import EventStore


class DemoError(Exception):
    """The demo cannot run in this home directory."""


def prepare_demo(
    settings: Settings,
    config: SimulationConfig,
    say: Callable[[str], None],
    progress: ProgressHook | None = None,
) -> tuple[str, str]:
    """Generate (or reuse) the data set, ingest it, set up the web side; return the sign-in."""
    data_dir = settings.home / "demo"
    logs = data_dir / "logs"
    store = EventStore(settings.store_path)
    if existing(config, data_dir):
        say(f"[bold]1. data set[/]: reusing {data_dir}")
    else:
        _clear_demo_store(store, str(logs))
        store = EventStore(settings.store_path)
        summary = generate(config, data_dir)
        say(
            f"[bold]1. data set[/]: generated {summary.events:,} events of {config.learners:,} learners in "
            f"{len(summary.courses)} courses over {config.days} days into {logs} ({summary.seconds:.1f} s)"
        )
    ingested = ingest([str(logs)], store, progress=progress)
    say(
        f"[bold]2. ingest[/]: {ingested.files_ingested} files read, {ingested.files_unchanged} unchanged; "
        f"{ingested.events_stored:,} events stored, {ingested.duplicates_skipped:,} duplicates skipped, "
        f"{ingested.lines_rejected:,} bad lines quarantined ({ingested.seconds:.1f} s) into {store.root}"
    )
    _import_structure(settings, config, data_dir, say)
    from edinsights.pipeline.compute import compute, recorded_run
    from edinsights.web.server import demo_sign_in, setup_django

    setup_django(settings)
    with recorded_run():  # as `edinsights compute` does: clears the notice of a killed run
        computed = compute(store)
    published = ", ".join(f"{name} {rows:,} rows" for name, rows in computed.metrics.items())
    say(f"[bold]3. metrics[/]: {published} through {computed.date_to} ({computed.seconds:.1f} s)")
    return demo_sign_in(settings)


def _import_structure(
    settings: Settings, config: SimulationConfig, data_dir: Path, say: Callable[[str], None]
) -> None:
    """The simulated courses' outlines, catalog and grading policy from their OLX exports."""
    from edinsights.demo.dataset import import_structure_exports, write_structure_exports
    from edinsights.demo.simulate import Simulator

    if not (data_dir / "olx" / "course_ids.json").exists():  # a data set generated before the exports
        write_structure_exports(Simulator(config), data_dir)
    imported, blocks = import_structure_exports(settings.store_path, data_dir)
    say(f"[bold]2b. structure[/]: {imported} courses, {blocks:,} blocks from their OLX exports")


def _clear_demo_store(store: EventStore, logs: str) -> None:
    """A new data set replaces the old one's events, but never a store that holds other logs."""
    entries = store.manifest.entries()
    if not entries:
        return
    foreign = sorted(url for url in entries if not url.startswith(logs))
    if foreign:
        raise DemoError(
            f"the event store in {store.root} also holds other logs (e.g. {foreign[0]}); "
            "run the demo with a home directory of its own (--home)"
        )
    shutil.rmtree(store.root)
