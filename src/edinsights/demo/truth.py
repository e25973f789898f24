"""Ground truth: what the simulator did, counted as it does it, written as ground_truth.json.

The behaviour (`behaviour.py`) records into a `GroundTruth` per course; the dirt (`dirt.py`)
counts its bad lines into `GroundTruth.dirt`. Metrics are tested end to end against these
numbers (docs/simulator.md lists them).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edinsights.families.activity.vocabulary import ACTIVITY_KINDS

if TYPE_CHECKING:
    from edinsights.demo.simulate import SimulationConfig

ACTIVITY_TYPES = tuple(kind.key for kind in ACTIVITY_KINDS)
"""The weekly activity kinds counted (the activity module's vocabulary, by their `key`)."""


@dataclass
class GroundTruth:
    """What the simulator did, per course and day (and per course and week for distinct counts)."""

    daily: dict[tuple[str, str], dict[str, object]] = field(default_factory=dict)
    weekly: dict[tuple[str, str], dict[str, set[int]]] = field(default_factory=dict)
    enrolled: dict[str, dict[int, str]] = field(default_factory=dict)
    """Per course: enrolled learner → mode, as the day loop moves on."""
    events: int = 0
    dirt: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    problems: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """Per course and problem usage key: server submissions, correct ones, and their learners."""
    videos: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """Per course and video block id: viewings as the metric rules see them (0.25 s or longer)."""

    def problem(self, course: str, problem: str) -> dict[str, Any]:
        return self.problems.setdefault(
            (course, problem), {"submissions": 0, "correct": 0, "users": set(), "users_correct": set()}
        )

    def video(self, course: str, block: str) -> dict[str, Any]:
        return self.videos.setdefault(
            (course, block), {"viewings": 0, "viewed_seconds": 0.0, "users": set(), "users_at_start": set()}
        )

    def day(self, course: str, day: str) -> dict[str, object]:
        entry = self.daily.get((course, day))
        if entry is None:
            entry = {
                "enrollments": 0,
                "unenrollments": 0,
                "mode_changes": 0,
                "video_views": 0,
                "problem_attempts": 0,
                "forum_posts": 0,
                "events": 0,
                **{kind: set() for kind in ACTIVITY_TYPES},
            }
            self.daily[(course, day)] = entry
        return entry

    def merge(self, other: GroundTruth) -> None:
        """Add another course's truth (courses never overlap between simulations)."""
        self.daily.update(other.daily)
        self.weekly.update(other.weekly)
        self.enrolled.update(other.enrolled)
        self.problems.update(other.problems)
        self.videos.update(other.videos)

    def week(self, course: str, monday: str) -> dict[str, set[int]]:
        return self.weekly.setdefault((course, monday), {kind: set() for kind in ACTIVITY_TYPES})

    def to_json(self) -> dict[str, object]:
        daily = []
        for (course, day), entry in sorted(self.daily.items()):
            row: dict[str, object] = {"course_id": course, "date": day}
            for key, value in entry.items():
                row[key] = len(value) if isinstance(value, set) else value
            daily.append(row)
        weekly = [
            {"course_id": course, "week_start": monday, **{kind: len(users) for kind, users in entry.items()}}
            for (course, monday), entry in sorted(self.weekly.items())
        ]

        def flat(key: tuple[str, str], entry: dict[str, Any], name: str) -> dict[str, Any]:
            counts = {k: len(v) if isinstance(v, set) else v for k, v in entry.items()}
            return {"course_id": key[0], name: key[1], **counts}

        return {
            "events": self.events,
            "dirt": dict(sorted(self.dirt.items())),
            "daily": daily,
            "weekly": weekly,
            "problems": [flat(key, entry, "problem_id") for key, entry in sorted(self.problems.items())],
            "videos": [flat(key, entry, "video_block") for key, entry in sorted(self.videos.items())],
        }


def write_ground_truth(path: Path, truth: GroundTruth, config: SimulationConfig) -> None:
    """Write `truth` with the configuration that made it (the demo reuses a data set by it)."""
    document = {"config": {**asdict(config), "start": config.start.isoformat()}, **truth.to_json()}
    path.write_text(json.dumps(document, indent=1, sort_keys=True))
