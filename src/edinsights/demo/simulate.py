"""A course simulator: learners enrolling, watching, attempting and posting, day by day.

It writes what an LMS would log (daily rotated, gzipped tracking logs) and, beside them, what
it did (ground truth) so that metrics can be tested end to end. Everything is drawn from one
seeded random generator in a fixed order: the same arguments give byte-identical output.

The model, per course and learner:
- enrollment day: a wave around the course start, or any day; some learners enrolled before
  the logs begin (their first logged event is a mode change or an unenrollment);
- mode: audit/verified mostly, honor for old-style courses, a few professional/credit/masters;
  some audit learners upgrade later (`mode_changed`), some unenroll;
- daily activity: a learner's engagement times a decay over the weeks since they started,
  less at weekends; an active day is a session walking through the next units of the course:
  page views, video viewings (play/pause/seek/speed/stop, dropping off along the video) and
  problem attempts (later attempts more often correct), sometimes a forum post;
- sources: browser and server events, mobile apps for some learners.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson
from isal import igzip

from edinsights.demo.events import AGENTS, HOST, LANGUAGES, Actor, envelope
from edinsights.demo.structure import Course, Problem, Unit, Video, make_courses

# First octets of address blocks allocated to these countries: believable client IPs.
COUNTRY_OCTETS = {
    "US": (3, 8, 12, 23, 24, 50, 64, 66, 72, 98),
    "IN": (49, 59, 106, 117, 122, 157),
    "BR": (177, 179, 187, 189, 191, 200, 201),
    "CN": (36, 58, 60, 101, 111, 113),
    "NG": (41, 102, 105, 197),
    "DE": (46, 78, 79, 87, 91, 93),
    "MX": (148, 187, 189, 201),
    "GB": (25, 51, 81, 86, 90),
    "FR": (2, 78, 82, 86, 90),
    "EG": (41, 156, 196, 197),
    "ID": (36, 103, 114, 180, 182),
    "ES": (79, 83, 88, 95),
}
MODES_NEW = (("audit", 0.62), ("verified", 0.28), ("professional", 0.03), ("credit", 0.02), ("masters", 0.05))
MODES_OLD = (("honor", 0.7), ("audit", 0.15), ("verified", 0.15))
ACTIVITY_TYPES = ("active", "played_video", "attempted_problem", "posted_forum")


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
class _Enrollment:
    course: Course
    actor: Actor
    enroll_day: int
    """Day index of the activation; negative when it happened before the logs begin."""
    mode: str
    upgrade_day: int | None
    unenroll_day: int | None
    engagement: float
    ability: float
    mobile: bool
    position: int = 0
    """Index of the next unit this learner will visit."""


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
        self.enrollments = self._enroll(self._learners())
        self.truth = GroundTruth()

    # ---- population -----------------------------------------------------------------

    def _learners(self) -> list[Actor]:
        rng = self.rng
        countries = list(COUNTRY_OCTETS)
        actors = []
        for index in range(self.config.learners):
            octet = rng.choice(COUNTRY_OCTETS[rng.choice(countries)])
            ip = f"{octet}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            actors.append(
                Actor(
                    user_id=1000 + index,
                    username=f"learner{index:05d}",
                    ip=ip,
                    agent=rng.choice(AGENTS),
                    language=rng.choice(LANGUAGES),
                    session=f"{rng.getrandbits(128):032x}",
                )
            )
        return actors

    def _enroll(self, learners: list[Actor]) -> list[_Enrollment]:
        rng, days = self.rng, self.config.days
        enrollments = []
        for actor in learners:
            count = 1 if rng.random() < 0.72 else (2 if rng.random() < 0.85 else 3)
            for course in rng.sample(self.courses, min(count, len(self.courses))):
                start_index = (course.start - self.config.start).days
                if rng.random() < 0.6:
                    enroll_day = round(rng.gauss(start_index - 5, 9))
                else:
                    enroll_day = rng.randint(start_index - 30, days - 1)
                enroll_day = min(enroll_day, days - 1)
                modes = MODES_OLD if "/" in course.key else MODES_NEW
                mode = rng.choices([name for name, _ in modes], [weight for _, weight in modes])[0]
                upgrade = None
                if mode == "audit" and rng.random() < 0.1:
                    upgrade = rng.randint(max(enroll_day, 0), days - 1)
                unenroll = rng.randint(max(enroll_day, 0), days - 1) if rng.random() < 0.1 else None
                enrollments.append(
                    _Enrollment(
                        course=course,
                        actor=actor,
                        enroll_day=enroll_day,
                        mode=mode,
                        upgrade_day=upgrade,
                        unenroll_day=unenroll,
                        engagement=rng.betavariate(1.3, 2.6),
                        ability=rng.uniform(0.35, 0.95),
                        mobile=rng.random() < 0.12,
                    )
                )
        return enrollments

    # ---- the day loop ---------------------------------------------------------------

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
                lines = self._with_dirt(events, carried)
                carried = self._duplicates_for_next_file(events)
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

    # ---- dirt and files -----------------------------------------------------------------

    def _with_dirt(self, events: list[tuple[float, bytes]], carried: list[bytes]) -> list[bytes]:
        """The day's lines: carried-over duplicates first, prefixes on some, dirty lines mixed in."""
        rng = self.rng
        dirt = self.truth.dirt
        lines = list(carried)
        dirt["duplicate_lines"] += len(carried)
        for at, line in events:
            roll = rng.random()
            if roll < self.config.dirt * 0.4:
                line = _syslog_prefix(at) + line
                dirt["syslog_prefix"] += 1
            elif roll < self.config.dirt * 0.8:
                line = _logger_prefix(at, line) + line
                dirt["logger_prefix"] += 1
            lines.append(line)
            if rng.random() < self.config.dirt:
                lines.append(self._dirty_line(line))
        return lines

    def _dirty_line(self, model: bytes) -> bytes:
        rng = self.rng
        kind = rng.choice(
            ("empty", "not_json", "truncated", "missing_time", "missing_event_type", "invalid_course")
        )
        self.truth.dirt[kind] += 1
        body = model[model.index(b"{") :]
        if kind == "empty":
            return b""
        if kind == "not_json":
            return b"Traceback (most recent call last): tracking log handler failed"
        if kind == "truncated":
            cut = body[: rng.randint(10, max(11, len(body) - 2))].rstrip()
            # A cut that happens to end in "}" reads as malformed rather than truncated.
            return cut.rstrip(b"}")
        if kind == "missing_time":
            return body.replace(b'"time":', b'"tiem":', 1)
        if kind == "missing_event_type":
            return body.replace(b'"event_type":', b'"event_tpye":', 1)
        event = orjson.loads(body)
        event["context"] = {
            "course_id": "course-v1:not a course",
            "user_id": event["context"]["user_id"],
            "path": "/x",
        }
        event["event_type"] = "edx.demo.invalid_course"
        event["page"] = None
        return orjson.dumps(event)

    def _duplicates_for_next_file(self, events: list[tuple[float, bytes]]) -> list[bytes]:
        """Log shippers re-send the tail of a file: repeat a few of the day's last lines."""
        count = min(len(events), max(0, round(len(events) * self.config.dirt * 0.1)))
        return [line for _, line in events[len(events) - count :]]

    def _write(self, out_dir: Path, day: date, lines: list[bytes]) -> str:
        # logrotate names the file after the day it rotates, the morning after its events.
        rotated = day + timedelta(days=1)
        path = out_dir / f"tracking.log-{rotated:%Y%m%d}.gz"
        data = b"\n".join(lines) + b"\n" if lines else b""
        # mtime 0: the gzip header would otherwise carry the clock and break byte-for-byte determinism.
        path.write_bytes(igzip.compress(data, compresslevel=1, mtime=0))
        return str(path)


class CourseSimulation:
    """One course's learners, day by day, with a random generator of its own."""

    def __init__(self, config: SimulationConfig, course: Course, enrollments: list[_Enrollment]) -> None:
        self.config = config
        self.course = course
        self.enrollments = enrollments
        self.rng = random.Random(f"{config.seed}/{course.key}")
        self.truth = GroundTruth()
        self.unlogged = sum(
            1
            for item in enrollments
            if item.enroll_day < 0 and item.upgrade_day is None and item.unenroll_day is None
        )

    def simulate_day(self, day_index: int, day: date) -> list[tuple[float, bytes]]:
        events: list[tuple[float, bytes]] = []
        day_text = day.isoformat()
        monday = (day - timedelta(days=day.weekday())).isoformat()
        weekend = day.weekday() >= 5
        for enrollment in self.enrollments:
            if enrollment.enroll_day > day_index:
                continue
            if enrollment.unenroll_day is not None and enrollment.unenroll_day < day_index:
                continue
            course = enrollment.course
            truth_day = None
            clock = _Clock(self.rng, day_text)
            key = course.key
            enrolled = self.truth.enrolled.setdefault(key, {})
            if enrollment.enroll_day < 0 and enrollment.actor.user_id not in enrolled:
                enrolled[enrollment.actor.user_id] = enrollment.mode  # enrolled before the logs begin
            if enrollment.enroll_day == day_index:
                truth_day = self.truth.day(key, day_text)
                events.append(self._enrollment_event(enrollment, clock, "edx.course.enrollment.activated"))
                truth_day["enrollments"] += 1  # type: ignore[operator]
                enrolled[enrollment.actor.user_id] = enrollment.mode
            if enrollment.upgrade_day == day_index and enrollment.mode == "audit":
                enrollment.mode = "verified"
                truth_day = truth_day or self.truth.day(key, day_text)
                events.append(self._enrollment_event(enrollment, clock, "edx.course.enrollment.mode_changed"))
                truth_day["mode_changes"] += 1  # type: ignore[operator]
                enrolled[enrollment.actor.user_id] = enrollment.mode
            if day >= course.start and self.rng.random() < self._activity_chance(
                enrollment, day_index, weekend
            ):
                truth_day = truth_day or self.truth.day(key, day_text)
                self._session(enrollment, clock, events, truth_day, self.truth.week(key, monday))
            if enrollment.unenroll_day == day_index:
                truth_day = truth_day or self.truth.day(key, day_text)
                events.append(self._enrollment_event(enrollment, clock, "edx.course.enrollment.deactivated"))
                truth_day["unenrollments"] += 1  # type: ignore[operator]
                enrolled.pop(enrollment.actor.user_id, None)
        for course in (self.course,):
            enrolled = self.truth.enrolled.get(course.key, {})
            if enrolled or (course.key, day_text) in self.truth.daily:
                entry = self.truth.day(course.key, day_text)
                entry["enrolled_end_of_day"] = len(enrolled)
                # Learners enrolled before the logs began who never appear in an enrollment
                # event of the range: no metric built from the logs can know about them.
                entry["enrolled_unlogged"] = self.unlogged
                modes: dict[str, int] = defaultdict(int)
                for mode in enrolled.values():
                    modes[mode] += 1
                entry["enrolled_by_mode"] = dict(sorted(modes.items()))
        return events

    def _activity_chance(self, enrollment: _Enrollment, day_index: int, weekend: bool) -> float:
        started = max(enrollment.enroll_day, (enrollment.course.start - self.config.start).days)
        weeks = max(day_index - started, 0) / 7
        return enrollment.engagement * 0.55 * math.exp(-weeks / 4.5) * (0.65 if weekend else 1.0)

    # ---- events -----------------------------------------------------------------------

    def _enrollment_event(
        self, enrollment: _Enrollment, clock: _Clock, event_type: str
    ) -> tuple[float, bytes]:
        course = enrollment.course
        at, text = clock.tick(5, 60)
        payload = {"course_id": course.key, "user_id": enrollment.actor.user_id, "mode": enrollment.mode}
        line = envelope(
            enrollment.actor,
            time=text,
            event_type=event_type,
            source="server",
            course_id=course.key,
            path="/api/enrollment/v1/enrollment"
            if event_type.endswith("activated")
            else "/change_enrollment",
            payload=payload,
            name=event_type,
        )
        return at, line

    def _session(
        self,
        enrollment: _Enrollment,
        clock: _Clock,
        events: list[tuple[float, bytes]],
        truth_day: dict[str, object],
        truth_week: dict[str, set[int]],
    ) -> None:
        rng = self.rng
        course = enrollment.course
        user = enrollment.actor.user_id
        before = len(events)
        for _ in range(rng.randint(1, 5)):
            unit = course.units[enrollment.position % len(course.units)]
            enrollment.position += 1
            events.append(self._page_view(enrollment, clock, unit))
            for video in unit.videos:
                if rng.random() < 0.75:
                    self._watch(enrollment, clock, unit, video, events, truth_day)
                    truth_week["played_video"].add(user)
                    truth_day["played_video"].add(user)  # type: ignore[attr-defined]
            for problem in unit.problems:
                if rng.random() < 0.65:
                    self._attempt(enrollment, clock, unit, problem, events, truth_day)
                    truth_week["attempted_problem"].add(user)
                    truth_day["attempted_problem"].add(user)  # type: ignore[attr-defined]
        if rng.random() < 0.06:
            self._forum_vote(enrollment, clock, events)
        if rng.random() < 0.05:
            self._forum_post(enrollment, clock, events)
            truth_day["forum_posts"] += 1  # type: ignore[operator]
            truth_week["posted_forum"].add(user)
            truth_day["posted_forum"].add(user)  # type: ignore[attr-defined]
        truth_day["active"].add(user)  # type: ignore[attr-defined]
        truth_week["active"].add(user)
        truth_day["events"] += len(events) - before  # type: ignore[operator]

    def _page_view(self, enrollment: _Enrollment, clock: _Clock, unit: Unit) -> tuple[float, bytes]:
        at, text = clock.tick(10, 120)
        course = enrollment.course.key
        if enrollment.mobile:
            line = envelope(
                enrollment.actor,
                time=text,
                event_type="edx.bi.app.navigation.screen",
                source="mobile",
                course_id=course,
                path="/segmentio/event",
                payload={"open_in_browser_url": f"https://{HOST}{unit.path}", "module_id": unit.usage_key},
                name="edx.bi.app.navigation.screen",
                mobile=True,
            )
        else:
            line = envelope(
                enrollment.actor,
                time=text,
                event_type=unit.path,
                source="server",
                course_id=course,
                path=unit.path,
                payload='{"POST": {}, "GET": {}}',
            )
        return at, line

    def _watch(
        self,
        enrollment: _Enrollment,
        clock: _Clock,
        unit: Unit,
        video: Video,
        events: list[tuple[float, bytes]],
        truth_day: dict[str, object],
    ) -> None:
        rng = self.rng
        code = "mobile" if enrollment.mobile else (video.youtube_id or "html5")
        source = "mobile" if enrollment.mobile else "browser"
        page = None if enrollment.mobile else f"https://{HOST}{unit.path}"
        names = {
            "play_video": "edx.video.played",
            "pause_video": "edx.video.paused",
            "seek_video": "edx.video.position.changed",
            "stop_video": "edx.video.stopped",
            "speed_change_video": "edx.video.speed.changed",
        }

        def emit(event_type: str, payload: dict[str, object], gap: float) -> None:
            at, text = clock.tick(gap * 0.9, gap * 1.1 + 1)
            payload = {
                "id": video.player_id if not enrollment.mobile else video.usage_key,
                "code": code,
                **payload,
            }
            if not enrollment.mobile:
                payload["duration"] = video.duration
            line = envelope(
                enrollment.actor,
                time=text,
                event_type=event_type,
                source=source,
                course_id=enrollment.course.key,
                path="/event" if not enrollment.mobile else "/segmentio/event",
                payload=payload,
                page=page,
                name=names[event_type],
                mobile=enrollment.mobile,
            )
            events.append((at, line))

        truth = self.truth.video(enrollment.course.key, video.player_id)
        truth["users"].add(enrollment.actor.user_id)

        def viewed(start: float, end: float) -> None:
            if end - start >= 0.25:
                truth["viewings"] += 1
                truth["viewed_seconds"] += end - start
                if start < 5:
                    truth["users_at_start"].add(enrollment.actor.user_id)

        # Where this viewing stops: most viewers drop off somewhere, some watch to the end.
        stop_at = video.duration * min(1.0, rng.betavariate(2.2, 1.1) * 1.08)
        position = 0.0 if rng.random() < 0.8 else round(rng.uniform(0, video.duration * 0.5), 2)
        speed = 1.0
        opened = position
        emit("play_video", {"currentTime": position}, 3)
        truth_day["video_views"] += 1  # type: ignore[operator]
        while stop_at - position > 0.01:
            watched = min(rng.uniform(20, 240), stop_at - position)
            position = round(position + watched, 2)
            if stop_at - position <= 0.01:
                break
            choice = rng.random()
            if choice < 0.2:
                new_position = round(min(max(position + rng.uniform(-60, 90), 0), video.duration - 1), 2)
                emit(
                    "seek_video",
                    {"old_time": position, "new_time": new_position, "type": "onSlideSeek"},
                    watched / speed,
                )
                viewed(opened, position)
                position = opened = new_position
                emit("play_video", {"currentTime": position}, 1)
                truth_day["video_views"] += 1  # type: ignore[operator]
            elif choice < 0.28:
                old, speed = speed, rng.choice((0.75, 1.25, 1.5, 2.0))
                emit(
                    "speed_change_video",
                    {"current_time": position, "old_speed": f"{old:.2f}", "new_speed": f"{speed:.2f}"},
                    watched / old,
                )
            else:
                emit("pause_video", {"currentTime": position}, watched / speed)
                viewed(opened, position)
                opened = position
                emit("play_video", {"currentTime": position}, rng.uniform(2, 40))
                truth_day["video_views"] += 1  # type: ignore[operator]
        if stop_at >= video.duration - 0.5:
            emit("stop_video", {"currentTime": video.duration}, 5)
            viewed(opened, video.duration)
        else:
            emit("pause_video", {"currentTime": round(stop_at, 2)}, 5)
            viewed(opened, round(stop_at, 2))

    def _attempt(
        self,
        enrollment: _Enrollment,
        clock: _Clock,
        unit: Unit,
        problem: Problem,
        events: list[tuple[float, bytes]],
        truth_day: dict[str, object],
    ) -> None:
        rng = self.rng
        course = enrollment.course.key
        part = f"{problem.block_hex}_2_1"
        seed = rng.randint(1, 20) if problem.randomized else 1
        for attempt in range(1, rng.randint(1, 4) + 1):
            chance = enrollment.ability - 0.45 * problem.difficulty + 0.15 * (attempt - 1)
            correct = rng.random() < chance
            chosen = self._answer(problem, correct)
            answer_value: object = [f"choice_{index}" for index in chosen]
            if problem.response_type == "multiplechoiceresponse":
                answer_value = f"choice_{chosen[0]}"
            elif problem.response_type in {"numericalresponse", "stringresponse"}:
                answer_value = problem.choices[chosen[0]]
            shown = [problem.choices[index] for index in chosen]
            if not enrollment.mobile:
                at, text = clock.tick(30, 300)
                query = f"input_{part}={quote(str(answer_value))}"
                events.append(
                    (
                        at,
                        envelope(
                            enrollment.actor,
                            time=text,
                            event_type="problem_check",
                            source="browser",
                            course_id=course,
                            path="/event",
                            payload=query,
                            page=f"https://{HOST}{unit.path}",
                        ),
                    )
                )
            at, text = clock.tick(0.2, 1.5)
            payload = {
                "problem_id": problem.usage_key,
                "attempts": attempt,
                "grade": 1 if correct else 0,
                "max_grade": 1,
                "success": "correct" if correct else "incorrect",
                "answers": {part: answer_value},
                "correct_map": {
                    part: {"correctness": "correct" if correct else "incorrect", "npoints": None}
                },
                "submission": {
                    part: {
                        "question": problem.question,
                        "answer": shown
                        if len(shown) > 1 or problem.response_type == "choiceresponse"
                        else shown[0],
                        "response_type": problem.response_type,
                        "input_type": problem.input_type,
                        "correct": correct,
                        "variant": seed if problem.randomized else "",
                    }
                },
                "state": {"seed": seed, "done": attempt > 1},
            }
            # The LMS also logs the new score of every graded submission, capa ones included:
            # the metrics must not count this attempt twice.
            score = {
                "user_id": str(enrollment.actor.user_id),
                "course_id": course,
                "problem_id": problem.usage_key,
                "weighted_earned": 1.0 if correct else 0.0,
                "weighted_possible": 1.0,
            }
            module = {"usage_key": problem.usage_key, "display_name": problem.display_name}
            for event_type, body, extra in (
                ("problem_check", payload, {"module": module, "tags": problem.tags}),
                ("edx.grades.problem.submitted", score, {}),
            ):
                events.append(
                    (
                        at,
                        envelope(
                            enrollment.actor,
                            time=text,
                            event_type=event_type,
                            source="server",
                            course_id=course,
                            path=f"/courses/{course}/xblock/{problem.usage_key}/handler/xmodule_handler/problem_check",
                            payload=body,
                            **extra,
                        ),
                    )
                )
            truth_day["problem_attempts"] += 1  # type: ignore[operator]
            truth = self.truth.problem(course, problem.usage_key)
            truth["submissions"] += 1
            truth["users"].add(enrollment.actor.user_id)
            if correct:
                truth["correct"] += 1
                truth["users_correct"].add(enrollment.actor.user_id)
                break

    def _answer(self, problem: Problem, correct: bool) -> tuple[int, ...]:
        if correct:
            return problem.correct
        wrong = [index for index in range(len(problem.choices)) if index not in problem.correct]
        if problem.response_type == "choiceresponse" and self.rng.random() < 0.5:
            return tuple(sorted({*problem.correct[:1], self.rng.choice(wrong)}))
        return (self.rng.choice(wrong),)

    def _forum_post(self, enrollment: _Enrollment, clock: _Clock, events: list[tuple[float, bytes]]) -> None:
        rng = self.rng
        kind = rng.choices(("thread", "response", "comment"), (0.3, 0.45, 0.25))[0]
        thread = f"{rng.getrandbits(96):024x}"
        payload = self._forum_payload(enrollment)
        payload.update(
            body="Could someone explain the second part of this week's problem set?",
            options={"followed": kind == "thread"},
            user_course_roles=[],
        )
        if kind == "thread":
            payload.update(title="Question about this week", thread_type="question")
        else:
            payload["discussion"] = {"id": thread}
        if kind == "comment":
            payload["response"] = {"id": f"{rng.getrandbits(96):024x}"}
        path = f"/discussion/forum/{payload['commentable_id']}/threads/create"
        self._forum_event(enrollment, clock.tick(60, 600), f"edx.forum.{kind}.created", payload, path, events)

    def _forum_vote(self, enrollment: _Enrollment, clock: _Clock, events: list[tuple[float, bytes]]) -> None:
        target = self.rng.choice(("thread", "response"))
        payload = self._forum_payload(enrollment)
        payload.update(vote_value="up", undo_vote=self.rng.random() < 0.1)
        path = f"/discussion/{target}s/{payload['id']}/upvote"
        self._forum_event(enrollment, clock.tick(5, 120), f"edx.forum.{target}.voted", payload, path, events)

    def _forum_payload(self, enrollment: _Enrollment) -> dict[str, object]:
        return {
            "id": f"{self.rng.getrandbits(96):024x}",
            "commentable_id": self.rng.choice(enrollment.course.forum_topics),
            "user_forums_roles": ["Student"],
        }

    def _forum_event(
        self,
        enrollment: _Enrollment,
        tick: tuple[float, str],
        event_type: str,
        payload: dict[str, object],
        path: str,
        events: list[tuple[float, bytes]],
    ) -> None:
        at, text = tick
        course = enrollment.course.key
        line = envelope(
            enrollment.actor,
            time=text,
            event_type=event_type,
            source="server",
            course_id=course,
            path=f"/courses/{course}{path}",
            payload=payload,
            name=event_type,
        )
        events.append((at, line))


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
        self.connections: list = []  # type: ignore[type-arg]
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


class _Clock:
    """Times within one day for one learner's session, moving forward."""

    # Past this, a session that runs late moves on by a millisecond per event, so its events
    # keep distinct times and stay on their day.
    LATE = 86_000.0

    def __init__(self, rng: random.Random, day: str) -> None:
        self.rng = rng
        self.day = day
        # Sessions start at any hour, more often in the afternoon and evening.
        self.seconds = rng.triangular(0, 80_000, 60_000)

    def tick(self, low: float, high: float) -> tuple[float, str]:
        step = self.rng.uniform(low, high)
        self.seconds = (
            self.seconds + step if self.seconds + step < self.LATE else max(self.seconds, self.LATE) + 0.001
        )
        whole = int(self.seconds)
        micro = int((self.seconds - whole) * 1_000_000)
        text = f"{self.day}T{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}.{micro:06d}+00:00"
        return self.seconds, text


def _syslog_prefix(at: float) -> bytes:
    whole = int(at)
    return f"Jan 01 {whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d} lms-1 tracking: ".encode()


def _logger_prefix(at: float, line: bytes) -> bytes:
    whole = int(at)
    day = line[line.index(b'"time":"') + 8 : line.index(b'"time":"') + 18].decode()
    return (
        f"{day} {whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d},{int(at % 1 * 1000):03d} "
        f"INFO 2187 [tracking] [user None] logger.py:41 - "
    ).encode()


def write_ground_truth(path: Path, truth: GroundTruth, config: SimulationConfig) -> None:
    document = {"config": {**asdict(config), "start": config.start.isoformat()}, **truth.to_json()}
    path.write_text(json.dumps(document, indent=1, sort_keys=True))
