"""Generate a simulated data set on disk (`edinsights generate`, `edinsights demo`)."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path

from edinsights.demo.simulate import GenerateSummary, SimulationConfig, Simulator
from edinsights.demo.truth import write_ground_truth

PILOT_LEARNERS = 300


def learners_for_events(config: SimulationConfig, events: int) -> int:
    """How many learners give about `events` events: measured on a small pilot population."""
    pilot = Simulator(replace(config, learners=PILOT_LEARNERS)).run(None)
    per_learner = max(pilot.events / PILOT_LEARNERS, 1e-9)
    return max(1, math.ceil(events / per_learner))


def generate(
    config: SimulationConfig, out_dir: Path, progress: Callable[[int, int], None] | None = None
) -> GenerateSummary:
    """Write `out_dir/logs/tracking.log-YYYYMMDD.gz` and `out_dir/ground_truth.json`.

    The ground truth is written last: its presence with the same configuration tells that the
    data set is complete (see `existing`).
    """
    logs = out_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    for stale in logs.glob("tracking.log-*.gz"):
        stale.unlink()
    (out_dir / "ground_truth.json").unlink(missing_ok=True)
    started = time.monotonic()
    simulator = Simulator(config)
    summary = simulator.run(logs, progress)
    write_structure_exports(simulator, out_dir)
    write_ground_truth(out_dir / "ground_truth.json", simulator.truth, config)
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def write_structure_exports(simulator: Simulator, out_dir: Path) -> list[tuple[Path, str | None]]:
    """An OLX export tarball per simulated course in `out_dir/olx/` (docs/structure.md).

    Returns (tarball, the --course-id its import needs or None) per course, in course order;
    `out_dir/olx/course_ids.json` records the same for `edinsights demo`.
    """
    from edinsights.demo.export import course_structure, olx_course_id, write_olx

    directory = out_dir / "olx"
    directory.mkdir(parents=True, exist_ok=True)
    exports = []
    for index, course in enumerate(simulator.courses, start=1):
        structure = course_structure(course)
        exports.append((write_olx(structure, directory / f"course-{index}.tar.gz"), olx_course_id(structure)))
    (directory / "course_ids.json").write_text(
        json.dumps({path.name: course_id for path, course_id in exports}, indent=1)
    )
    return exports


def import_structure_exports(store_path: Path, data_dir: Path) -> tuple[int, int]:
    """Import the OLX exports `write_structure_exports` wrote under `data_dir` into the event
    store at `store_path`; returns (courses, blocks) imported."""
    from edinsights.structure.importer import import_olx
    from edinsights.structure.storage import StructureStore

    store = StructureStore(store_path)
    courses = blocks = 0
    listing = data_dir / "olx" / "course_ids.json"
    for name, course_id in json.loads(listing.read_text()).items():
        summary = import_olx(store, [data_dir / "olx" / name], course_id)
        courses += len(summary.courses)
        blocks += summary.blocks
    return courses, blocks


def existing(config: SimulationConfig, out_dir: Path) -> bool:
    """True when `out_dir` already holds a complete data set made with `config`."""
    truth = out_dir / "ground_truth.json"
    if not truth.exists():
        return False
    recorded = json.loads(truth.read_text()).get("config", {})
    return recorded == {**asdict(config), "start": config.start.isoformat()}
