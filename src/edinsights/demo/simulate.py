"""A course simulator: learners enrolling, watching, attempting and posting, day by day.

It writes what an LMS would log (daily rotated, gzipped tracking logs) and, beside them, what
it did (ground truth) so that metrics can be tested end to end. Everything is drawn from one
seeded random generator per course (and one for the population and the dirt) in a fixed
order: the same arguments give byte-identical output.

This module runs the simulation: it draws the population, runs the courses (in worker
processes), merges each day's events by time, mixes in the dirt and writes the files. The
pieces it runs:
- `behaviour.py`: the learners' model (enrollments, sessions, viewings, attempts, forums);
- `dirt.py`: the deliberate bad lines, prefixes and duplicates;
- `truth.py`: the ground truth counted along the way, written as ground_truth.json;
- `events.py`: the tracking-log lines; `structure.py`: the courses.
"""

from __future__ import annotations

import multiprocessing
import os
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

from isal import igzip

from edinsights.demo.behaviour import CourseSimulation, Enrollment, enroll, learners
from edinsights.demo.dirt import tail_to_repeat, with_dirt
from edinsights.demo.structure import make_courses
from edinsights.demo.truth import GroundTruth, write_ground_truth

# Imported from here before the split; kept so `from edinsights.demo.simulate import ...` works.
__all__ = [
    "CourseSimulation",
    "GenerateSummary",
    "GroundTruth",
    "SimulationConfig",
    "Simulator",
    "write_ground_truth",
]


@dataclass
class SimulationConfig:
    seed: int = 1
    courses: int = 4
    learners: int = 3000
    days: int = 90
    start: date = date(2024, 1, 1)
    dirt: float = 0.01
    """Extra dirty lines (garbage, truncated, missing fields, invalid course ids) as a
    fraction of the real events; prefixes and cross-file duplicates come on top."""


@dataclass
class GenerateSummary:
    files: list[str]
    events: int
    lines: int
    dirt: dict[str, int]
    courses: list[str]
    learners: int
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class Simulator:
    def __init__(self, config: SimulationConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.courses = make_courses(config.courses, config.start, config.days, self.rng)
        self.enrollments: list[Enrollment] = enroll(
            self.rng, learners(self.rng, config.learners), self.courses, config.start, config.days
        )
        self.truth = GroundTruth()

    def run(
        self,
        out_dir: Path | None,
        progress: Callable[[int, int], None] | None = None,
        processes: int | None = None,
    ) -> GenerateSummary:
        """Simulate every day; write logs to `out_dir` (None: count only). Returns a summary.

        Courses are simulated independently (each with a random generator of its own), so
        they can run in `processes` worker processes (default: one per core) and the output
        is the same bytes whatever the number of processes.
        """
        groups = self._course_groups(processes or os.cpu_count() or 1)
        files: list[str] = []
        lines_written = 0
        carried: list[bytes] = []
        with _DayFeeds(groups, self.config) as feeds:
            for day_index in range(self.config.days):
                day = self.config.start + timedelta(days=day_index)
                events = sorted(event for feed in feeds.next_day() for event in feed)
                self.truth.events += len(events)
                lines = with_dirt(self.rng, events, carried, self.config.dirt, self.truth.dirt)
                carried = tail_to_repeat(events, self.config.dirt)
                if out_dir is not None:
                    files.append(self._write(out_dir, day, lines))
                lines_written += len(lines)
                if progress:
                    progress(day_index + 1, self.truth.events)
            for truth in feeds.truths():
                self.truth.merge(truth)
        return GenerateSummary(
            files=files,
            events=self.truth.events,
            lines=lines_written,
            dirt=dict(self.truth.dirt),
            courses=[course.key for course in self.courses],
            learners=self.config.learners,
        )

    def _course_groups(self, processes: int) -> list[list[CourseSimulation]]:
        simulations = [
            CourseSimulation(self.config, course, [e for e in self.enrollments if e.course is course])
            for course in self.courses
        ]
        # The busiest courses first, each to the least loaded group.
        groups: list[list[CourseSimulation]] = [[] for _ in range(max(1, min(processes, len(simulations))))]
        for simulation in sorted(simulations, key=lambda item: -len(item.enrollments)):
            min(groups, key=lambda group: sum(len(item.enrollments) for item in group)).append(simulation)
        return groups

    # ---- files ----------------------------------------------------------------------------

    def _write(self, out_dir: Path, day: date, lines: list[bytes]) -> str:
        # logrotate names the file after the day it rotates, the morning after its events.
        rotated = day + timedelta(days=1)
        path = out_dir / f"tracking.log-{rotated:%Y%m%d}.gz"
        data = b"\n".join(lines) + b"\n" if lines else b""
        # mtime 0: the gzip header would otherwise carry the clock and break byte-for-byte determinism.
        path.write_bytes(igzip.compress(data, compresslevel=1, mtime=0))
        return str(path)


class _DayFeeds:
    """Each day's events from every group of course simulations, in day order.

    One group runs in this process; several run in spawned worker processes that send a
    day's events through a pipe as soon as they have them (the pipe's buffer keeps them at
    most a day or so ahead).
    """

    def __init__(self, groups: list[list[CourseSimulation]], config: SimulationConfig) -> None:
        self.groups = groups
        self.config = config
        self.day_index = 0
        self.connections: list[Connection] = []
        self.processes: list[multiprocessing.process.BaseProcess] = []

    def __enter__(self) -> _DayFeeds:
        if len(self.groups) > 1:
            context = multiprocessing.get_context("spawn")
            for group in self.groups:
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(target=_feed_days, args=(sender, group, self.config), daemon=True)
                process.start()
                sender.close()
                self.connections.append(receiver)
                self.processes.append(process)
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            if exc[0] is not None:
                process.terminate()
            process.join()

    def next_day(self) -> list[list[tuple[float, bytes]]]:
        day = self.config.start + timedelta(days=self.day_index)
        index, self.day_index = self.day_index, self.day_index + 1
        if not self.connections:
            return [simulation.simulate_day(index, day) for simulation in self.groups[0]]
        return [connection.recv() for connection in self.connections]

    def truths(self) -> list[GroundTruth]:
        if not self.connections:
            return [simulation.truth for simulation in self.groups[0]]
        return [truth for connection in self.connections for truth in connection.recv()]


def _feed_days(connection, group: list[CourseSimulation], config: SimulationConfig) -> None:  # type: ignore[no-untyped-def]
    """Worker process: simulate the group's courses day by day, sending each day's events."""
    for day_index in range(config.days):
        day = config.start + timedelta(days=day_index)
        connection.send([event for simulation in group for event in simulation.simulate_day(day_index, day)])
    connection.send([simulation.truth for simulation in group])
    connection.close()
