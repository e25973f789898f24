"""Ground truth: what the simulator did, counted as it does it, written as ground_truth.json.

The behaviour (`behaviour.py`) records into a `GroundTruth` per course; the dirt (`dirt.py`)
counts its bad lines into `GroundTruth.dirt`. Metrics are tested end to end against these
numbers (docs/simulator.md lists them).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edinsights.families.activity.vocabulary import ACTIVITY_KINDS

if TYPE_CHECKING:
    from edinsights.demo.simulate import SimulationConfig

ACTIVITY_TYPES = tuple(kind.key for kind in ACTIVITY_KINDS)
"""The weekly activity kinds counted (the activity module's vocabulary, by their `key`)."""
FORUM_KINDS = ("thread", "response", "comment")
ANSWER_WINDOW = timedelta(hours=48)
"""A thread without a response this long after it was created is unanswered (the forum module's rule)."""


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
    forum_topics: dict[tuple[str, str, str], dict[str, int]] = field(default_factory=dict)
    """Per course, week (its Monday) and topic (`commentable_id`): threads, responses, comments, votes."""
    forum_threads: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """Per course and thread id: when it was created, and its first response (ISO times)."""

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
                **{f"forum_{kind}s": 0 for kind in FORUM_KINDS},
                "forum_votes": 0,
                "forum_vote_undos": 0,
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
        self.forum_topics.update(other.forum_topics)
        self.forum_threads.update(other.forum_threads)

    def _topic(self, course: str, time: str, topic: str) -> dict[str, int]:
        day = date.fromisoformat(time[:10])
        monday = (day - timedelta(days=day.weekday())).isoformat()
        return self.forum_topics.setdefault(
            (course, monday, topic), {"threads": 0, "responses": 0, "comments": 0, "votes": 0}
        )

    def forum_post(self, course: str, time: str, kind: str, post_id: str, thread_id: str, topic: str) -> None:
        """A thread, response or comment created at `time` (ISO, UTC) in `topic`."""
        self.day(course, time[:10])[f"forum_{kind}s"] += 1  # type: ignore[operator]
        self._topic(course, time, topic)[f"{kind}s"] += 1
        if kind == "thread":
            self.forum_threads[(course, post_id)] = {"created": time, "first_response": None}
        elif kind == "response":
            thread = self.forum_threads.get((course, thread_id))
            # Learners are simulated one after another: a later-simulated response may be earlier.
            if thread is not None and (thread["first_response"] is None or time < thread["first_response"]):
                thread["first_response"] = time

    def forum_vote(self, course: str, time: str, topic: str, undo: bool) -> None:
        """A vote (or the undoing of one) on a thread or response in `topic`."""
        self.day(course, time[:10])["forum_vote_undos" if undo else "forum_votes"] += 1  # type: ignore[operator]
        if not undo:
            self._topic(course, time, topic)["votes"] += 1

    def forum_weekly(self, end: datetime) -> list[dict[str, object]]:
        """Per course and week: posts, votes, posters and unanswered threads, as the forum module
        counts them with data up to `end` (a thread whose 48 hours end after it is not yet unanswered)."""
        weeks: dict[tuple[str, str], dict[str, int]] = {}
        for (course, monday, _topic), counts in self.forum_topics.items():
            week = weeks.setdefault(
                (course, monday),
                {"threads": 0, "responses": 0, "comments": 0, "votes": 0, "unanswered_threads": 0},
            )
            for key, value in counts.items():
                week[key] += value
        for (course, _thread), thread in self.forum_threads.items():
            created = datetime.fromisoformat(thread["created"])
            first = thread["first_response"]
            answered = first is not None and datetime.fromisoformat(first) <= created + ANSWER_WINDOW
            if not answered and created + ANSWER_WINDOW <= end:
                day = created.date()
                weeks[(course, (day - timedelta(days=day.weekday())).isoformat())]["unanswered_threads"] += 1
        return [
            {
                "course_id": course,
                "week_start": monday,
                **counts,
                "posters": len(self.weekly.get((course, monday), {}).get("posted_forum", ())),
            }
            for (course, monday), counts in sorted(weeks.items())
        ]

    def week(self, course: str, monday: str) -> dict[str, set[int]]:
        return self.weekly.setdefault((course, monday), {kind: set() for kind in ACTIVITY_TYPES})

    def to_json(self, end: datetime | None = None) -> dict[str, object]:
        """The truth as ground_truth.json holds it; `end` (the end of the simulated days) dates the
        forum's unanswered threads (none without it)."""
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
            "forum_weekly": self.forum_weekly(end or datetime.min.replace(tzinfo=UTC)),
            "forum_topics": [
                {"course_id": course, "week_start": monday, "commentable_id": topic, **counts}
                for (course, monday, topic), counts in sorted(self.forum_topics.items())
            ],
        }


def write_ground_truth(path: Path, truth: GroundTruth, config: SimulationConfig) -> None:
    """Write `truth` with the configuration that made it (the demo reuses a data set by it)."""
    end = datetime.combine(config.start + timedelta(days=config.days), datetime.min.time(), UTC)
    document = {"config": {**asdict(config), "start": config.start.isoformat()}, **truth.to_json(end)}
    path.write_text(json.dumps(document, indent=1, sort_keys=True))
