"""The learners' behaviour: who enrolls in which course, when, and what they do each day.

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

The population is drawn from the simulator's generator (`learners`, `enroll`); each course is
then simulated day by day by a `CourseSimulation` with a generator of its own, which renders
its events with `events.py` and records what it did into its `GroundTruth` (`truth.py`).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote

from edinsights.demo.events import AGENTS, ANDROID_APP, HOST, LANGUAGES, Actor, course_server_event, envelope
from edinsights.demo.structure import Course, Problem, Unit, Video
from edinsights.demo.truth import GroundTruth
from edinsights.families.activity.vocabulary import ACTIVE, ATTEMPTED_PROBLEM, PLAYED_VIDEO, POSTED_FORUM
from edinsights.families.enrollment.vocabulary import AUDIT, CREDIT, HONOR, MASTERS, PROFESSIONAL, VERIFIED
from edinsights.families.problems.vocabulary import CORRECT, INCORRECT

if TYPE_CHECKING:
    from edinsights.demo.simulate import SimulationConfig

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
# The modes and activity kinds are the enrollment and activity modules' vocabulary (tested to
# agree with what the metrics, the API and the pages know).
MODES_NEW = ((AUDIT, 0.62), (VERIFIED, 0.28), (PROFESSIONAL, 0.03), (CREDIT, 0.02), (MASTERS, 0.05))
MODES_OLD = ((HONOR, 0.7), (AUDIT, 0.15), (VERIFIED, 0.15))


@dataclass
class Enrollment:
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

    @property
    def user_id(self) -> int:
        """The learner's id: an enrolled learner is always signed in."""
        assert self.actor.user_id is not None
        return self.actor.user_id


def learners(rng: random.Random, count: int) -> list[Actor]:
    """`count` learners, each with a client IP from one country's address blocks."""
    countries = list(COUNTRY_OCTETS)
    actors = []
    for index in range(count):
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


def enroll(
    rng: random.Random, actors: list[Actor], courses: list[Course], start: date, days: int
) -> list[Enrollment]:
    """Each learner's enrollments: one course mostly, two or three for some."""
    enrollments = []
    for actor in actors:
        count = 1 if rng.random() < 0.72 else (2 if rng.random() < 0.85 else 3)
        for course in rng.sample(courses, min(count, len(courses))):
            start_index = (course.start - start).days
            if rng.random() < 0.6:
                enroll_day = round(rng.gauss(start_index - 5, 9))
            else:
                enroll_day = rng.randint(start_index - 30, days - 1)
            enroll_day = min(enroll_day, days - 1)
            modes = MODES_OLD if "/" in course.key else MODES_NEW
            mode = rng.choices([name for name, _ in modes], [weight for _, weight in modes])[0]
            upgrade = None
            if mode == AUDIT and rng.random() < 0.1:
                upgrade = rng.randint(max(enroll_day, 0), days - 1)
            unenroll = rng.randint(max(enroll_day, 0), days - 1) if rng.random() < 0.1 else None
            enrollments.append(
                Enrollment(
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


class CourseSimulation:
    """One course's learners, day by day, with a random generator of its own."""

    def __init__(self, config: SimulationConfig, course: Course, enrollments: list[Enrollment]) -> None:
        self.config = config
        self.course = course
        self.enrollments = enrollments
        self.rng = random.Random(f"{config.seed}/{course.key}")
        # Which earlier post a response, comment or vote is about: drawn from a generator of its
        # own, so that the main generator's draws (and every other family's events) stay as they
        # were before posts referred to each other.
        self.forum_rng = random.Random(f"{config.seed}/{course.key}/forum")
        self.threads: list[ForumPost] = []
        self.responses: list[ForumPost] = []
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
            clock = Clock(self.rng, day_text)
            key = course.key
            enrolled = self.truth.enrolled.setdefault(key, {})
            if enrollment.enroll_day < 0 and enrollment.user_id not in enrolled:
                enrolled[enrollment.user_id] = enrollment.mode  # enrolled before the logs begin
            if enrollment.enroll_day == day_index:
                truth_day = self.truth.day(key, day_text)
                events.append(self._enrollment_event(enrollment, clock, "edx.course.enrollment.activated"))
                truth_day["enrollments"] += 1  # type: ignore[operator]
                enrolled[enrollment.user_id] = enrollment.mode
            if enrollment.upgrade_day == day_index and enrollment.mode == AUDIT:
                enrollment.mode = VERIFIED
                truth_day = truth_day or self.truth.day(key, day_text)
                events.append(self._enrollment_event(enrollment, clock, "edx.course.enrollment.mode_changed"))
                truth_day["mode_changes"] += 1  # type: ignore[operator]
                enrolled[enrollment.user_id] = enrollment.mode
            if day >= course.start and self.rng.random() < self._activity_chance(
                enrollment, day_index, weekend
            ):
                truth_day = truth_day or self.truth.day(key, day_text)
                self._session(enrollment, clock, events, truth_day, self.truth.week(key, monday))
            if enrollment.unenroll_day == day_index:
                truth_day = truth_day or self.truth.day(key, day_text)
                events.append(self._enrollment_event(enrollment, clock, "edx.course.enrollment.deactivated"))
                truth_day["unenrollments"] += 1  # type: ignore[operator]
                enrolled.pop(enrollment.user_id, None)
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

    def _activity_chance(self, enrollment: Enrollment, day_index: int, weekend: bool) -> float:
        started = max(enrollment.enroll_day, (enrollment.course.start - self.config.start).days)
        weeks = max(day_index - started, 0) / 7
        return enrollment.engagement * 0.55 * math.exp(-weeks / 4.5) * (0.65 if weekend else 1.0)

    # ---- events -----------------------------------------------------------------------

    def _enrollment_event(self, enrollment: Enrollment, clock: Clock, event_type: str) -> tuple[float, bytes]:
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
        enrollment: Enrollment,
        clock: Clock,
        events: list[tuple[float, bytes]],
        truth_day: dict[str, object],
        truth_week: dict[str, set[int]],
    ) -> None:
        rng = self.rng
        course = enrollment.course
        user = enrollment.user_id
        before = len(events)
        for _ in range(rng.randint(1, 5)):
            unit = course.units[enrollment.position % len(course.units)]
            enrollment.position += 1
            events.append(self._page_view(enrollment, clock, unit))
            for video in unit.videos:
                if rng.random() < 0.75:
                    self._watch(enrollment, clock, unit, video, events, truth_day)
                    truth_week[PLAYED_VIDEO.key].add(user)
                    truth_day[PLAYED_VIDEO.key].add(user)  # type: ignore[attr-defined]
            for problem in unit.problems:
                if rng.random() < 0.65:
                    self._attempt(enrollment, clock, unit, problem, events, truth_day)
                    truth_week[ATTEMPTED_PROBLEM.key].add(user)
                    truth_day[ATTEMPTED_PROBLEM.key].add(user)  # type: ignore[attr-defined]
        if rng.random() < 0.06:
            self._forum_vote(enrollment, clock, events)
        if rng.random() < 0.05:
            self._forum_post(enrollment, clock, events)
            truth_day["forum_posts"] += 1  # type: ignore[operator]
            truth_week[POSTED_FORUM.key].add(user)
            truth_day[POSTED_FORUM.key].add(user)  # type: ignore[attr-defined]
        truth_day[ACTIVE.key].add(user)  # type: ignore[attr-defined]
        truth_week[ACTIVE.key].add(user)
        truth_day["events"] += len(events) - before  # type: ignore[operator]

    def _page_view(self, enrollment: Enrollment, clock: Clock, unit: Unit) -> tuple[float, bytes]:
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
                app=ANDROID_APP,
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
        enrollment: Enrollment,
        clock: Clock,
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
                app=ANDROID_APP if enrollment.mobile else None,
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
        enrollment: Enrollment,
        clock: Clock,
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
                "success": CORRECT if correct else INCORRECT,
                "answers": {part: answer_value},
                "correct_map": {part: {"correctness": CORRECT if correct else INCORRECT, "npoints": None}},
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
            module: dict[str, object] = {"usage_key": problem.usage_key, "display_name": problem.display_name}
            handler = f"/xblock/{problem.usage_key}/handler/xmodule_handler/problem_check"
            tick = (at, text)
            self._course_event(
                enrollment, tick, "problem_check", payload, handler, events, module=module, tags=problem.tags
            )
            self._course_event(enrollment, tick, "edx.grades.problem.submitted", score, handler, events)
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

    def _forum_post(self, enrollment: Enrollment, clock: Clock, events: list[tuple[float, bytes]]) -> None:
        """A thread, or a response to an earlier thread, or a comment on an earlier response, with
        the fields the LMS logs (lms/djangoapps/discussion's `track_*_created_event`)."""
        rng = self.rng
        kind = rng.choices(("thread", "response", "comment"), (0.3, 0.45, 0.25))[0]
        rng.getrandbits(96)  # once the thread id of a response; kept so that later draws stay put
        payload = self._forum_payload(enrollment)
        if kind == "comment":
            rng.getrandbits(96)  # likewise, once the id of the response it commented on
        at, text = clock.tick(60, 600)
        now = _absolute(clock.day, at)
        parent = self._earlier(self.responses, now) if kind == "comment" else None
        thread = self._earlier(self.threads, now) if kind != "thread" else None
        # Nothing earlier to answer (the course's first posts): a response opens a thread, a
        # comment without a response answers the thread instead.
        if kind == "comment" and parent is None:
            kind = "response" if thread is not None else "thread"
        if kind == "response" and thread is None:
            kind = "thread"
        payload.update(
            body="Could someone explain the second part of this week's problem set?",
            options={"followed": kind == "thread"},
            user_course_roles=[],
            truncated=False,
        )
        if kind == "thread":
            payload.update(
                title="Question about this week",
                title_truncated=False,
                thread_type="question",
                group_id=None,
                anonymous=False,
                anonymous_to_peers=False,
            )
            path = f"/discussion/forum/{payload['commentable_id']}/threads/create"
        else:
            source = parent if parent is not None else thread
            assert source is not None
            payload["commentable_id"] = source.commentable_id
            payload["discussion"] = {"id": source.thread_id}
            path = f"/discussion/threads/{source.thread_id}/reply"
        if kind == "comment":
            assert parent is not None
            payload["response"] = {"id": parent.post_id}
            path = f"/discussion/comments/{parent.post_id}/reply"
        post_id = str(payload["id"])
        commentable_id = str(payload["commentable_id"])
        username = enrollment.actor.username
        if kind == "thread":
            self.threads.append(ForumPost(now, post_id, post_id, commentable_id, username))
        elif kind == "response":
            thread_of = payload["discussion"]["id"]  # type: ignore[index]
            self.responses.append(ForumPost(now, post_id, thread_of, commentable_id, username))
        event_type = f"edx.forum.{kind}.created"
        thread_id = payload["discussion"]["id"] if kind != "thread" else post_id  # type: ignore[index]
        self.truth.forum_post(enrollment.course.key, text, kind, post_id, thread_id, commentable_id)
        self._course_event(enrollment, (at, text), event_type, payload, path, events, name=event_type)

    def _forum_vote(self, enrollment: Enrollment, clock: Clock, events: list[tuple[float, bytes]]) -> None:
        """An up-vote (or its undoing) of an earlier thread or response (`track_voted_event`)."""
        target = self.rng.choice(("thread", "response"))
        payload = self._forum_payload(enrollment)
        payload.update(vote_value="up", undo_vote=self.rng.random() < 0.1)
        at, text = clock.tick(5, 120)
        voted = self._earlier(
            self.threads if target == "thread" else self.responses, _absolute(clock.day, at)
        )
        if voted is not None:
            # A post from before the logs began keeps the drawn id and topic; a known one is named.
            payload.update(
                id=voted.post_id, commentable_id=voted.commentable_id, target_username=voted.author
            )
        path = f"/discussion/{target}s/{payload['id']}/upvote"
        event_type = f"edx.forum.{target}.voted"
        self.truth.forum_vote(
            enrollment.course.key, text, str(payload["commentable_id"]), bool(payload["undo_vote"])
        )
        self._course_event(enrollment, (at, text), event_type, payload, path, events, name=event_type)

    def _earlier(self, posts: list[ForumPost], now: float) -> ForumPost | None:
        """One of the posts made before `now`, most often one of the last few days'."""
        earlier = [post for post in posts[-200:] if post.at < now]
        if not earlier:
            return None
        recent = [post for post in earlier if now - post.at < 4 * 86_400]
        return self.forum_rng.choice(recent or earlier)

    def _forum_payload(self, enrollment: Enrollment) -> dict[str, object]:
        return {
            "id": f"{self.rng.getrandbits(96):024x}",
            "commentable_id": self.rng.choice(enrollment.course.forum_topics),
            "user_forums_roles": ["Student"],
        }

    def _course_event(
        self,
        enrollment: Enrollment,
        tick: tuple[float, str],
        event_type: str,
        payload: dict[str, object],
        handler: str,
        events: list[tuple[float, bytes]],
        *,
        name: str | None = None,
        module: dict[str, object] | None = None,
        tags: dict[str, object] | None = None,
    ) -> None:
        """Append a server event of a view under the course's URL (problems, grades, forums)."""
        at, text = tick
        line = course_server_event(
            enrollment.actor,
            time=text,
            event_type=event_type,
            course_id=enrollment.course.key,
            handler=handler,
            payload=payload,
            name=name,
            module=module,
            tags=tags,
        )
        events.append((at, line))


@dataclass(frozen=True)
class ForumPost:
    """A thread or response of the course, for later responses, comments and votes to refer to."""

    at: float
    """Seconds since 0001-01-01 (comparable across days)."""
    post_id: str
    thread_id: str
    commentable_id: str
    author: str


def _absolute(day: str, seconds: float) -> float:
    return date.fromisoformat(day).toordinal() * 86_400 + seconds


class Clock:
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
