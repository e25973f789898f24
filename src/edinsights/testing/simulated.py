"""A small simulated data set: the tracking logs many tests (and a module's) read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

SIMULATED_START = date(2024, 3, 4)  # a Monday
SIMULATED_DAYS = 15


def simulated_logs(root: Path) -> tuple[Path, list[str]]:
    """Logs of 3 courses, 250 learners, 15 days from SIMULATED_START written under ROOT (seed 41,
    so always the same); returns their directory and the course ids."""
    from edinsights.demo.dataset import generate
    from edinsights.demo.simulate import SimulationConfig

    config = SimulationConfig(seed=41, courses=3, learners=250, days=SIMULATED_DAYS, start=SIMULATED_START)
    summary = generate(config, root)
    return root / "logs", summary.courses
