#!/usr/bin/env python3
"""Deterministic generator of realistic Open edX tracking-log lines.

The benchmark needs gigabytes of input that look like a real LMS log (same
field layout, same mix of event kinds, same sizes, same kinds of dirt) without
shipping real learner data. Lines are rendered by the simulator's renderer,
``edinsights.demo.events`` (``envelope``, ``course_server_event``: orjson,
about a microsecond per line), from pools of courses, problems and sessions
built once per file; this module keeps the scale: the mix of kinds, the
clock, the dirt, chunks rendered by worker processes and one gzip member.

Usage::

    python bench/loggen.py OUT.gz --lines 1000000 --seed 1 \
        [--start-date 2024-01-04] [--days 1] [--dirt 0.01] [--level 2] [--processes N]

or, with ``bench/`` on ``sys.path``::

    from loggen import write_log
    stats = write_log("x.log.gz", 100_000, seed=1)

The same (lines, seed, start, days, dirt) always produce the same lines, and
the same level the same bytes, whatever the number of worker processes.
Lines are ~1.1 KB on average; about ``dirt`` of them are dirty (see DIRT_WEIGHTS).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import multiprocessing
import os
import random
import re
import struct
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import quote

import orjson

# The renderer lives in the package; prefer this checkout's copy over an installed one.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from edinsights.demo.events import Actor, MobileApp, course_server_event, envelope

HOST = "courses.example.edu"
MFE_HOST = "apps.courses.example.edu"

# (course key, relative traffic). Two old slash-separated keys are kept on
# purpose: long-running installs still log them next to course-v1 keys.
COURSES: list[tuple[str, int]] = [
    ("course-v1:MITx+6.00.1x+2T2023", 30),
    ("course-v1:HarvardX+PH125.1x+1T2024", 20),
    ("course-v1:edX+DemoX+Demo_Course", 15),
    ("course-v1:UQx+Think101x+3T2023", 10),
    ("course-v1:TUDelft+SOL101x+2024_Q1", 8),
    ("MITx/6.002x/2012_Fall", 10),
    ("HarvardX/CS50/2014", 7),
]

# Course ids that no key parser accepts; used for the "invalid_course" dirt.
BAD_COURSE_IDS = [
    "course-v1:MITx+6.00.1x",
    "MITx/6.002x",
    "course-v1:",
    "not a course id",
    "course-v1:Org+Course+Run+Extra+Parts!",
    "undefined",
]

# Word lists kept as paragraphs.
# fmt: off
FIRST_NAMES = [
    "ana", "ben", "chen", "dmitri", "elif", "fatima", "gabriel", "hana", "ivan", "julia", "kofi",
    "lena", "mateo", "nora", "omar", "priya", "quentin", "rosa", "sven", "tariq", "ursula", "vikram",
    "wei", "ximena", "yusuf", "zoe", "amara", "bruno", "carla", "diego", "emeka", "farah", "goran",
    "ines", "jonas", "kaito", "leila", "marco", "nadia", "oscar", "paula", "ravi", "sofia", "tomas",
]
LAST_NAMES = [
    "kim", "garcia", "okafor", "novak", "silva", "muller", "rossi", "tanaka", "ahmed", "nguyen",
    "johansson", "kowalski", "dubois", "haddad", "mehta", "osei", "petrov", "santos", "schmidt",
    "wang", "yilmaz", "fernandez", "ivanova", "lopez", "mwangi", "nakamura", "olsen", "reyes", "singh",
]
# fmt: on

AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.6099.144 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0",
]
MOBILE_APPS = [
    MobileApp(
        "edx.mobileapp.android", "4.3.1", "Dalvik/2.1.0 (Linux; U; Android 13; Pixel 6 Build/TQ3A.230901.001)"
    ),
    MobileApp(
        "edx.mobileapp.android",
        "4.2.0",
        "Dalvik/2.1.0 (Linux; U; Android 12; SM-G991B Build/SP1A.210812.016)",
    ),
    MobileApp("edx.mobileapp.iOS", "5.1.0", "edX/org.edx.mobile (5.1.0; OS Version 17.2 (Build 21C62))"),
    MobileApp("edx.mobileapp.iOS", "5.0.2", "edX/org.edx.mobile (5.0.2; OS Version 16.6 (Build 20G75))"),
]
LANGUAGES = [
    "en-US,en;q=0.9",
    "en-GB,en;q=0.9",
    "es-ES,es;q=0.9,en;q=0.8",
    "fr-FR,fr;q=0.9,en;q=0.7",
    "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7",
    "zh-CN,zh;q=0.9",
    "pt-BR,pt;q=0.9,en-US;q=0.8",
    "hi-IN,hi;q=0.9,en;q=0.8",
    "ar,en-US;q=0.8",
    "",
]

UNIT_TITLES = [
    "Introduction",
    "Lecture 1: Variables and Types",
    "Branching and Iteration",
    "Finger Exercise",
    "Probability Basics",
    "Conditional Probability",
    "Homework 2",
    "Review: Recursion",
    "Lab: Data Wrangling",
    "Problem Set 3",
    "Week 4 Quiz",
    "Exploring Distributions",
    "Capacitors and Inductors",
    "Kirchhoff's Laws",
    "Solar Cell Efficiency",
    "Thinking Critically",
    "Arguments and Fallacies",
    "Final Exam Practice",
    "Café Discussion: Réflexions",
    "数据分析 概述",
]
QUESTIONS = [
    "What is the value of x after the loop finishes?",
    "Which of the following statements about recursion are true?",
    "Enter the probability that both coins land heads.",
    "Select the correct unit for electric charge.",
    "How many times does the body of the loop execute?",
    "What is the expected value of a fair six-sided die?",
    "Which argument below commits the straw-man fallacy?",
    "Compute the efficiency of the panel in percent.",
    "Which data structure gives O(1) average lookup by key?",
    "Is the sample mean an unbiased estimator of the population mean?",
]
# (response_type, input_type) pairs that dominate real courses.
RESPONSE_TYPES = [
    ("multiplechoiceresponse", "choicegroup"),
    ("choiceresponse", "checkboxgroup"),
    ("stringresponse", "textline"),
    ("numericalresponse", "formulaequationinput"),
    ("optionresponse", "optioninput"),
]
CHOICE_TEXTS = [
    "<p>Coulomb</p>",
    "<p>Ampere</p>",
    "<p>O(1)</p>",
    "<p>Only I and III</p>",
    "<p>a hash table</p>",
    "<p>It is always true</p>",
    "<p>None of the above</p>",
]
FORUM_TITLES = [
    "Confused about problem set 3 part b",
    "Office hours this week?",
    "Grader marks my answer wrong",
    "Great explanation in lecture 4!",
    "Video 2 won't load on mobile",
    "Study group for the final",
    "Question about the Kirchhoff example",
    "¿Alguien habla español aquí?",
]
FORUM_SENTENCES = [
    "I tried the approach from the lecture but my result is off by a factor of two.",
    "Could someone explain why the second loop runs one more time than I expect?",
    "Thanks, that cleared it up for me.",
    "The grader seems to expect a decimal rather than a fraction, so 0.25 works but 1/4 does not.",
    "I watched the video twice and still do not see where the minus sign comes from.",
    "Here is my reasoning: first compute the total, then divide by the number of samples.",
    "Merci beaucoup pour l'explication, c'est très clair maintenant.",
    "Same problem here, it only happens on the Android app for me.",
    "Check the errata post pinned at the top of the forum.",
    "I think the answer key for question 3 might be wrong, can staff take a look?",
]
GARBAGE_LINES = [  # written as they are (UTF-8)
    "Traceback (most recent call last):",
    '  File "/openedx/edx-platform/common/djangoapps/track/views/__init__.py", line 124, in user_track',
    "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9 in position 57: invalid continuation byte",
    "-- MARK --",
    "tracking: [Errno 28] No space left on device",
    "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
    "[2024-01-04 09:01:10 +0000] [1234] [INFO] Worker exiting (pid: 1234)",
    "username=alice&event_type=play_video",
]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# Relative weights of clean event kinds, shaped on real LMS logs: implicit
# server request events and video events dominate, enrollments and forum
# posts are rare but must be present.
KIND_WEIGHTS: dict[str, float] = {
    "server_request": 20.0,
    "server_request.no_course": 4.0,
    "page_view": 10.0,
    "page_close": 3.0,
    "load_video": 5.0,
    "play_video": 11.0,
    "pause_video": 8.0,
    "seek_video": 4.0,
    "stop_video": 2.0,
    "speed_change_video": 1.0,
    "problem_check.server": 6.0,
    "problem_check.browser": 6.0,
    "edx.grades.problem.submitted": 2.0,
    "edx.ui.lms.sequence.next_selected": 4.0,
    "mobile_video": 5.0,
    "edx.course.enrollment.activated": 0.8,
    "edx.course.enrollment.deactivated": 0.2,
    "edx.course.enrollment.mode_changed": 0.2,
    "edx.forum.thread.created": 0.4,
    "edx.forum.response.created": 0.6,
    "edx.forum.comment.created": 0.6,
}

# Relative weights of dirt kinds; together they make up the --dirt fraction.
DIRT_WEIGHTS: dict[str, float] = {
    "syslog_prefix": 2.0,
    "logger_prefix": 2.0,
    "empty": 1.0,
    "garbage": 1.0,
    "truncated": 1.0,
    "missing_time": 0.5,
    "missing_event_type": 0.5,
    "invalid_course": 1.0,
    "duplicate": 1.0,
}
# Dirt kinds whose line is still a complete, valid event.
VALID_DIRT = ("syslog_prefix", "logger_prefix")

T = TypeVar("T")
# envelope() writes compact JSON: top-level "time" comes before "event", "event_type" after it
# (browser payloads are JSON-encoded strings, so their quotes are escaped and never match).
_TIME_FIELD = re.compile(rb'"time":"[^"]*",')
_EVENT_TYPE_FIELD = re.compile(rb',"event_type":"[^"]*"')
# Fields the LMS adds to every context; they come after the envelope's own.
_CONTEXT_EXTRA: dict[str, Any] = {"enterprise_uuid": "", "course_user_tags": {}}
_PROBLEM_CONTEXT_EXTRA: dict[str, Any] = {**_CONTEXT_EXTRA, "asides": {}}
_EMPTY_REQUEST = '{"POST": {}, "GET": {}}'  # what a GET without parameters logs as "event"
DEFAULT_LEVEL = 2  # see _deflater(); level 6 works too, at about half the speed
_BATCH = 2_000  # lines joined per write: large writes keep the compressor busy
_HMS = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]


def _hex(rng: random.Random, bits: int = 128) -> str:
    return f"{rng.getrandbits(bits):0{bits // 4}x}"


def _cumulative(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    names = list(weights)
    total = sum(weights.values())
    cum, acc = [], 0.0
    for name in names:
        acc += weights[name] / total
        cum.append(acc)
    cum[-1] = 1.0
    return names, cum


@dataclass(slots=True)
class Variant:
    """One correctness combination of a problem's parts, its payloads built once.

    A line copies the server payload with its ``attempts`` set (the key keeps its place).
    """

    first: dict[str, Any]  # server event, first attempt (empty previous state)
    retry: dict[str, Any]  # server event, later attempt (previous state filled)
    query: str  # browser event: the query string
    grade: int


@dataclass(slots=True)
class Problem:
    usage_key: str
    module: dict[str, str]  # context.module: usage key and display name
    page: str
    handler: str  # the problem_check handler's path under /courses/<course id>
    variants: list[Variant]
    max_grade: int


@dataclass(slots=True)
class Video:
    block_id: str
    usage_key: str
    duration: float
    page: str


@dataclass
class Course:
    key: str
    org: str
    old_style: bool
    units: list[tuple[str, str, str]] = field(default_factory=list)  # (page url, path, sequential key)
    videos: list[Video] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    server_paths: list[tuple[str, str]] = field(default_factory=list)  # (path, event as JSON text)

    def usage_key(self, block_type: str, block_id: str) -> str:
        if self.old_style:
            org, num, _run = self.key.split("/")
            return f"i4x://{org}/{num}/{block_type}/{block_id}"
        body = self.key.split(":", 1)[1]
        return f"block-v1:{body}+type@{block_type}+block@{block_id}"

    def input_prefix(self, block_id: str) -> str:
        """The HTML id prefix the LMS gives to a problem's inputs."""
        if self.old_style:
            org, num, _run = self.key.split("/")
            return f"i4x-{org}-{num.replace('.', '_')}-problem-{block_id}"
        return block_id


def _build_course(rng: random.Random, key: str) -> Course:
    org = key.split(":", 1)[1].split("+")[0] if key.startswith("course-v1:") else key.split("/")[0]
    course = Course(key=key, org=org, old_style=not key.startswith("course-v1:"))
    for chapter in range(8):
        chapter_id = _hex(rng)
        for seq in range(4):
            _add_unit(rng, course, chapter_id, chapter * 4 + seq)
    course.topics = ["course"] + [_hex(rng) for _ in range(6)]
    _add_server_paths(course)
    return course


def _add_unit(rng: random.Random, course: Course, chapter_id: str, index: int) -> None:
    seq_id, vert_id = _hex(rng), _hex(rng)
    seq_key = course.usage_key("sequential", seq_id)
    path = f"/courses/{course.key}/courseware/{chapter_id}/{seq_id}/"
    # Newer installs serve part of the courseware from the learning MFE; old courses never.
    if course.old_style or index % 3 != 0:
        page = f"https://{HOST}{path}{1 + index % 5}"
    else:
        vertical_key = course.usage_key("vertical", vert_id)
        page = f"https://{MFE_HOST}/learning/course/{course.key}/{seq_key}/{vertical_key}"
    course.units.append((page, path, seq_key))
    for _ in range(2):
        block_id = _hex(rng)
        duration = float(rng.randrange(60, 1500))
        course.videos.append(Video(block_id, course.usage_key("video", block_id), duration, page))
    for _ in range(2):
        course.problems.append(_build_problem(rng, course, page, index))


def _build_part(rng: random.Random) -> dict:
    response_type, input_type = RESPONSE_TYPES[rng.randrange(len(RESPONSE_TYPES))]
    question = QUESTIONS[rng.randrange(len(QUESTIONS))]
    # values[correct] = (value as submitted by the browser, text shown in "submission")
    if input_type == "choicegroup":
        right = rng.randrange(1, 4)
        values = {True: (f"choice_{right}", CHOICE_TEXTS[right]), False: ("choice_0", CHOICE_TEXTS[0])}
    elif input_type == "checkboxgroup":
        values = {
            True: (["choice_0", "choice_2"], [CHOICE_TEXTS[2], CHOICE_TEXTS[3]]),
            False: (["choice_1"], [CHOICE_TEXTS[4]]),
        }
    elif input_type == "optioninput":
        values = {True: ("Option B", "Option B"), False: ("Option A", "Option A")}
    elif input_type == "formulaequationinput":
        values = {True: ("3.5", "3.5"), False: ("7/2 + 1", "7/2 + 1")}
    else:
        values = {True: ("a hash table", "a hash table"), False: ("linked list", "linked list")}
    return {"question": question, "response_type": response_type, "input_type": input_type, "values": values}


def _build_problem(rng: random.Random, course: Course, page: str, index: int) -> Problem:
    block_id = _hex(rng)
    usage_key = course.usage_key("problem", block_id)
    prefix = course.input_prefix(block_id)
    parts = {f"{prefix}_{n + 2}_1": _build_part(rng) for n in range(1 + rng.randrange(3))}
    display_name = f"{UNIT_TITLES[index % len(UNIT_TITLES)]} - Q{1 + rng.randrange(9)}"
    variants = []
    for combo in range(1 << len(parts)):
        oks = {pid: bool(combo >> n & 1) for n, pid in enumerate(parts)}
        variants.append(_problem_variant(usage_key, parts, oks))
    handler = f"/xblock/{usage_key}/handler/xmodule_handler/problem_check"
    module = {"usage_key": usage_key, "display_name": display_name}
    return Problem(usage_key, module, page, handler, variants, len(parts))


def _problem_variant(usage_key: str, parts: dict[str, dict], oks: dict[str, bool]) -> Variant:
    grade = sum(oks.values())
    answers = {pid: p["values"][oks[pid]][0] for pid, p in parts.items()}
    cmap = {
        pid: {
            "answervariable": None,
            "correctness": "correct" if oks[pid] else "incorrect",
            "hint": "",
            "hintmode": None,
            "msg": "",
            "npoints": None,
            "queuestate": None,
        }
        for pid in parts
    }
    submission = {
        pid: {
            "answer": p["values"][oks[pid]][1],
            "correct": oks[pid],
            "group_label": "",
            "input_type": p["input_type"],
            "question": p["question"],
            "response_type": p["response_type"],
            "variant": "",
        }
        for pid, p in parts.items()
    }
    # The nested parts are serialised once here (orjson.Fragment): serialising them per line
    # would make problem_check the slowest kind by far. A line only sets "attempts".
    answers_json, cmap_json, submission_json = (
        orjson.Fragment(orjson.dumps(part)) for part in (answers, cmap, submission)
    )
    events: list[dict[str, Any]] = []
    for first_attempt in (True, False):
        previous_map = {pid: dict(c, correctness="incorrect") for pid, c in cmap.items()}
        state = {
            "correct_map": {} if first_attempt else previous_map,
            "done": None if first_attempt else True,
            "has_saved_answers": False,
            "input_state": {pid: {} for pid in parts},
            "seed": 1,
            "student_answers": {} if first_attempt else answers,
        }
        events.append(
            {
                "answers": answers_json,
                "attempts": 1,
                "correct_map": cmap_json,
                "grade": grade,
                "max_grade": len(parts),
                "problem_id": usage_key,
                "state": orjson.Fragment(orjson.dumps(state)),
                "submission": submission_json,
                "success": "correct" if grade == len(parts) else "incorrect",
            }
        )
    query = "&".join(_query_pairs(parts, oks))
    return Variant(events[0], events[1], query=query, grade=grade)


def _query_pairs(parts: dict[str, dict], oks: dict[str, bool]) -> Iterator[str]:
    for pid, part in parts.items():
        value = part["values"][oks[pid]][0]
        if isinstance(value, list):
            yield from (f"input_{pid}%5B%5D={quote(v)}" for v in value)
        else:
            yield f"input_{pid}={quote(value)}"


def _add_server_paths(course: Course) -> None:
    # Server events carry the request as JSON text (a string in the line).
    empty = json.dumps({"POST": {}, "GET": {}})
    key = course.key
    for video in course.videos[:12]:
        position = json.dumps({"POST": {"saved_video_position": ["00:01:07"]}, "GET": {}})
        course.server_paths.append(
            (f"/courses/{key}/xblock/{video.usage_key}/handler/xmodule_handler/save_user_state", position)
        )
    for problem in course.problems[:12]:
        query = json.dumps({"POST": {"input_x_2_1": ["choice_1"]}, "GET": {}})
        course.server_paths.append((f"/courses/{key}{problem.handler}", query))
    for _page, _path, seq_key in course.units[:8]:
        course.server_paths.append((f"/api/courseware/sequence/{seq_key}", empty))
    for path in (
        f"/api/courseware/course/{key}",
        f"/api/course_home/outline/{key}",
        f"/api/course_home/progress/{key}",
        f"/courses/{key}/progress",
        f"/courses/{key}/discussion/forum/",
        f"/api/discussion/v1/courses/{key}/",
    ):
        course.server_paths.append((path, json.dumps({"POST": {}, "GET": {"page": ["1"]}})))


@dataclass(slots=True)
class Visitor:
    """One learner session: who, in which course, from which mobile app (if any)."""

    actor: Actor
    course: Course
    app: MobileApp | None = None


def _pick_course(rng: random.Random, courses: list[Course], cum: list[float]) -> Course:
    return courses[bisect.bisect(cum, rng.random())]


def _build_visitors(rng: random.Random, courses: list[Course], count: int, kind: str) -> list[Visitor]:
    """Build a pool of sessions; kind is "learner", "anonymous" or "mobile"."""
    _names, cum = _cumulative({c.key: w for c, (_k, w) in zip(courses, COURSES, strict=True)})
    ids = rng.sample(range(10, 4_000_000), count)
    visitors = []
    for uid in ids:
        course = _pick_course(rng, courses, cum)
        if kind == "anonymous":
            username = ""
        else:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            username = rng.choice((f"{first}_{last}{uid}", f"{first}{uid}", f"learner{uid}"))
        ip = f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        app = None
        if kind == "mobile":
            app = rng.choice(MOBILE_APPS)
            agent, session, lang = app.agent, "", ""
        else:
            agent, session, lang = rng.choice(AGENTS), _hex(rng), rng.choice(LANGUAGES)
        actor = Actor(
            user_id=None if kind == "anonymous" else uid,
            username=username,
            ip=ip,
            agent=agent,
            language=lang,
            session=session,
        )
        visitors.append(Visitor(actor, course, app))
    return visitors


class _Generator:
    """Renders events; one instance per file so state (ids, duplicates) is local."""

    def __init__(self, seed: int, start: dt.date, days: float, lines: int) -> None:
        self.rng = random.Random(seed)
        self.rand = self.rng.random
        self.courses = [_build_course(self.rng, key) for key, _w in COURSES]
        self.learners = _build_visitors(self.rng, self.courses, 12_000, "learner")
        self.anonymous = _build_visitors(self.rng, self.courses, 600, "anonymous")
        self.mobile = _build_visitors(self.rng, self.courses, 2_000, "mobile")
        self.kinds, self.kind_cum = _cumulative(KIND_WEIGHTS)
        self.renderers: list[Callable[[str, str], str]] = [self._renderer(k) for k in self.kinds]
        self.dirt_kinds, self.dirt_cum = _cumulative(DIRT_WEIGHTS)
        start_dt = dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC)
        self.t0 = int(start_dt.timestamp()) * 1_000_000
        self.step = max(1, int(days * 86_400_000_000) // max(lines, 1))
        self.seed = seed
        self._forum_base = self.rng.getrandbits(48) << 16
        self.start_chunk(0, 0)

    def start_chunk(self, chunk: int, first_line: int) -> None:
        """Reset per-chunk state so each chunk depends only on (seed, chunk):
        chunks can then be rendered in any process, in any order."""
        self.rng = random.Random(f"{self.seed}/{chunk}")
        self.rand = self.rng.random
        self.forum_seq = (self._forum_base + chunk) << 32  # 24-hex Mongo-like ids, unique per file
        self._sec = self._day = -1
        self._sec_str = self._day_str = ""
        # No whole-second time in the chunk's first second: the previous chunk may have used it.
        self._last_plain_sec = (self.t0 + first_line * self.step) // 1_000_000

    # ---- helpers -------------------------------------------------------
    def _pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.rand() * len(seq))]

    def _clock(self, index: int) -> tuple[int, str]:
        """Timestamp of line ``index``: strictly increasing microseconds, in one
        of the three spellings real logs use."""
        t = self.t0 + index * self.step + int(self.rand() * self.step)
        sec, frac = divmod(t, 1_000_000)
        if sec != self._sec:  # strftime per line would cost more than the rest of the line
            self._sec = sec
            day, sec_of_day = divmod(sec, 86_400)
            if day != self._day:
                self._day = day
                self._day_str = dt.datetime.fromtimestamp(day * 86_400, dt.UTC).strftime("%Y-%m-%dT")
            self._sec_str = self._day_str + _HMS[sec_of_day]
        r = self.rand()
        if r < 0.85:
            return t, f"{self._sec_str}.{frac:06d}+00:00"
        if r < 0.93 or sec == self._last_plain_sec:
            return t, f"{self._sec_str}.{frac:06d}Z"
        # Whole-second times are only used once per second so that no two
        # events in a file ever share a time string by accident.
        self._last_plain_sec = sec
        return t, f"{self._sec_str}+00:00"

    def _forum_id(self) -> str:
        self.forum_seq += 1
        return f"{self.forum_seq:024x}"

    def _renderer(self, kind: str) -> Callable[[str, str], bytes]:
        """The method rendering ``kind``; every renderer takes (time string, kind)."""
        if kind.startswith("edx.course.enrollment."):
            return self._enrollment
        if kind.startswith("edx.forum."):
            return self._forum
        if kind.endswith("_video") and kind != "mobile_video":
            return self._video
        return {
            "server_request": self._server_request,
            "server_request.no_course": self._server_request_no_course,
            "page_view": self._page_view,
            "page_close": self._page_close,
            "problem_check.server": self._problem_check_server,
            "problem_check.browser": self._problem_check_browser,
            "edx.grades.problem.submitted": self._grades_submitted,
            "edx.ui.lms.sequence.next_selected": self._next_selected,
            "mobile_video": self._mobile_video,
        }[kind]

    # ---- event kinds ---------------------------------------------------
    # Every line goes through edinsights.demo.events; what varies here is only which
    # session, course, block and values a line is about.

    def _browser(
        self,
        v: Visitor,
        ts: str,
        event_type: str,
        payload: Any,
        page: str,
        referer: str,
        name: str | None = None,
    ) -> bytes:
        return envelope(
            v.actor,
            time=ts,
            event_type=event_type,
            source="browser",
            course_id=v.course.key,
            path="/event",
            payload=payload,
            page=page,
            name=name,
            referer=referer,
            host=HOST,
            context_extra=_CONTEXT_EXTRA,
        )

    def _server(
        self,
        v: Visitor,
        ts: str,
        event_type: str,
        payload: Any,
        path: str,
        referer: str,
        name: str | None = None,
        course_id: str | None = None,
    ) -> bytes:
        return envelope(
            v.actor,
            time=ts,
            event_type=event_type,
            source="server",
            course_id=v.course.key if course_id is None else course_id,
            path=path,
            payload=payload,
            name=name,
            referer=referer,
            host=HOST,
            context_extra=_CONTEXT_EXTRA,
        )

    def _server_request(self, ts: str, _kind: str) -> bytes:
        # The hottest kinds index inline: a _pick() call per field costs ~5% of generation.
        rand, learners = self.rand, self.learners
        v = learners[int(rand() * len(learners))]
        course = v.course
        path, event = course.server_paths[int(rand() * len(course.server_paths))]
        referer = course.units[int(rand() * len(course.units))][0]
        return self._server(v, ts, path, event, path, referer)

    def _server_request_no_course(self, ts: str, _kind: str) -> bytes:
        v = self._pick(self.learners)
        r = self.rand()
        if r < 0.4:
            path = "/dashboard"
        elif r < 0.7:
            path = f"/api/user/v1/accounts/{v.actor.username}"
        elif r < 0.85:
            path = "/api/learner_home/init"
        else:
            path = "/notifications/count/"
        return self._server(v, ts, path, _EMPTY_REQUEST, path, f"https://{HOST}/dashboard", course_id="")

    def _page_view(self, ts: str, _kind: str) -> bytes:
        # A small share of page views come from visitors who are not logged in.
        v = self._pick(self.anonymous if self.rand() < 0.08 else self.learners)
        page, path, _seq = self._pick(v.course.units)
        return self._browser(v, ts, path, "", page, f"https://{HOST}/dashboard")

    def _page_close(self, ts: str, _kind: str) -> bytes:
        v = self._pick(self.learners)
        page = self._pick(v.course.units)[0]
        return self._browser(v, ts, "page_close", "", page, page, name="page_close")

    def _video(self, ts: str, kind: str) -> bytes:
        rand, learners = self.rand, self.learners
        v = learners[int(rand() * len(learners))]
        videos = v.course.videos
        video = videos[int(rand() * len(videos))]
        now = round(rand() * video.duration, 3)
        if kind == "seek_video":
            payload: dict[str, Any] = {
                "id": video.block_id,
                "old_time": now,
                "new_time": round(self.rand() * video.duration, 3),
                "type": "onSlideSeek",
                "code": "html5",
                "duration": video.duration,
            }
        elif kind == "speed_change_video":
            payload = {
                "id": video.block_id,
                "current_time": now,
                "old_speed": "1.0",
                "new_speed": self._pick(("0.75", "1.25", "1.50", "2.0")),
                "code": "html5",
                "duration": video.duration,
            }
        elif kind == "load_video":
            payload = {"id": video.block_id, "code": "html5", "duration": video.duration}
        else:
            payload = {"id": video.block_id, "currentTime": now, "code": "html5", "duration": video.duration}
        return self._browser(v, ts, kind, payload, video.page, video.page, name=kind)

    def _problem_check_server(self, ts: str, _kind: str) -> bytes:
        v = self._pick(self.learners)
        problem = self._pick(v.course.problems)
        variant = self._pick(problem.variants)
        attempts = 1 + int(self.rand() * self.rand() * 6)  # mostly first or second attempts
        payload = {**(variant.first if attempts == 1 else variant.retry), "attempts": attempts}
        return course_server_event(
            v.actor,
            time=ts,
            event_type="problem_check",
            course_id=v.course.key,
            handler=problem.handler,
            payload=payload,
            name="problem_check",
            module=problem.module,
            page="x_module",
            referer=problem.page,
            host=HOST,
            context_extra=_PROBLEM_CONTEXT_EXTRA,
        )

    def _problem_check_browser(self, ts: str, _kind: str) -> bytes:
        v = self._pick(self.learners)
        problem = self._pick(v.course.problems)
        query = self._pick(problem.variants).query
        return self._browser(v, ts, "problem_check", query, problem.page, problem.page, name="problem_check")

    def _grades_submitted(self, ts: str, _kind: str) -> bytes:
        v = self._pick(self.learners)
        problem = self._pick(v.course.problems)
        grade = self._pick(problem.variants).grade
        event = {
            "user_id": v.actor.user_id,
            "course_id": v.course.key,
            "problem_id": problem.usage_key,
            "event_transaction_id": _hex(self.rng),
            "event_transaction_type": "edx.grades.problem.submitted",
            "weighted_earned": grade,
            "weighted_possible": problem.max_grade,
        }
        return course_server_event(
            v.actor,
            time=ts,
            event_type="edx.grades.problem.submitted",
            course_id=v.course.key,
            handler=problem.handler,
            payload=event,
            name="edx.grades.problem.submitted",
            referer=problem.page,
            host=HOST,
            context_extra=_CONTEXT_EXTRA,
        )

    def _next_selected(self, ts: str, _kind: str) -> bytes:
        v = self._pick(self.learners)
        page, _path, seq_key = self._pick(v.course.units)
        tab = 1 + int(self.rand() * 5)
        body = {
            "current_tab": tab,
            "tab_count": 6,
            "target_tab": tab + 1,
            "widget_placement": "bottom",
            "id": seq_key,
        }
        return self._browser(
            v,
            ts,
            "edx.ui.lms.sequence.next_selected",
            body,
            page,
            page,
            name="edx.ui.lms.sequence.next_selected",
        )

    def _mobile_video(self, ts: str, _kind: str) -> bytes:
        v = self._pick(self.mobile)
        video = self._pick(v.course.videos)
        now = round(self.rand() * video.duration, 3)
        r = self.rand()
        payload: dict[str, Any] = {"code": "mobile", "id": video.usage_key}
        if r < 0.45:
            name = "edx.video.played"
            payload["currentTime"] = now
        elif r < 0.8:
            name = "edx.video.paused"
            payload["currentTime"] = now
        elif r < 0.9:
            name = "edx.video.position.changed"
            payload.update(old_time=now, new_time=round(now / 2, 3))
        else:
            name = "edx.video.loaded"
            payload["currentTime"] = 0
        # Mobile events arrive through the segment.io endpoint with "Z" times.
        return envelope(
            v.actor,
            time=ts.replace("+00:00", "Z"),
            event_type=name,
            source="mobile",
            course_id=v.course.key,
            path="/segmentio/event",
            payload=payload,
            name=name,
            app=v.app,
            referer="",
            host=HOST,
            context_extra={"component": "videoplayer", "open_in_browser_url": video.page},
        )

    def _enrollment(self, ts: str, kind: str) -> bytes:
        v = self._pick(self.learners)
        mode = "verified" if kind.endswith("mode_changed") or self.rand() < 0.15 else "audit"
        event = {"course_id": v.course.key, "user_id": v.actor.user_id, "mode": mode}
        path = "/api/enrollment/v1/enrollment" if kind.endswith("activated") else "/change_enrollment"
        referer = f"https://{HOST}/courses/{v.course.key}/about"
        return self._server(v, ts, kind, event, path, referer, name=kind)

    def _forum(self, ts: str, kind: str) -> bytes:
        v = self._pick(self.learners)
        course = v.course
        topic = self._pick(course.topics)
        post_id = self._forum_id()
        body = " ".join(self._pick(FORUM_SENTENCES) for _ in range(1 + int(self.rand() * 4)))
        thread_id = post_id if kind.endswith("thread.created") else self._forum_id()
        url = f"https://{HOST}/courses/{course.key}/discussion/forum/{topic}/threads/{thread_id}"
        event: dict[str, Any] = {
            "id": post_id,
            "commentable_id": topic,
            "category_id": topic,
            "category_name": "General",
            "url": url,
            "body": body,
            "truncated": False,
            "options": {"followed": True},
            "user_forums_roles": ["Student"],
            "user_course_roles": [],
            "team_id": None,
        }
        if kind.endswith("thread.created"):
            event.update(
                title=self._pick(FORUM_TITLES),
                title_truncated=False,
                thread_type=self._pick(("discussion", "question")),
                group_id=None,
                anonymous=False,
                anonymous_to_peers=False,
            )
        else:
            event["discussion"] = {"id": thread_id}
            if kind.endswith("comment.created"):
                event["response"] = {"id": self._forum_id()}
        return course_server_event(
            v.actor,
            time=ts,
            event_type=kind,
            course_id=course.key,
            handler=f"/discussion/{topic}/threads/create",
            payload=event,
            name=kind,
            referer=url,
            host=HOST,
            context_extra=_CONTEXT_EXTRA,
        )

    # ---- dirt ----------------------------------------------------------
    def _dirty(self, kind: str, clean: bytes, t: int, last_clean: bytes | None) -> bytes:
        """Turn a freshly rendered clean line into one of the dirt kinds."""
        if kind == "syslog_prefix":
            d = dt.datetime.fromtimestamp(t // 1_000_000, dt.UTC)
            prefix = f"{MONTHS[d.month - 1]} {d:%d %H:%M:%S} lms-{1 + int(self.rand() * 3)} tracking: "
            return prefix.encode() + clean
        if kind == "logger_prefix":
            d = dt.datetime.fromtimestamp(t // 1_000_000, dt.UTC)
            pid = 100 + int(self.rand() * 30000)
            prefix = (
                f"{d:%Y-%m-%d %H:%M:%S},{t // 1000 % 1000:03d} INFO {pid} [tracking] "
                f"[user {1 + int(self.rand() * 99999)}] logger.py:41 - "
            )
            return prefix.encode() + clean
        if kind == "truncated":
            cut = int(len(clean) * (0.2 + 0.7 * self.rand()))
            while cut and clean[cut] & 0xC0 == 0x80:  # cut between characters, not inside one
                cut -= 1
            return clean[:cut]
        if kind == "missing_time":
            return _TIME_FIELD.sub(b"", clean, count=1)
        if kind == "missing_event_type":
            return _EVENT_TYPE_FIELD.sub(b"", clean, count=1)
        if kind == "invalid_course":
            return self._break_course(clean)
        if kind == "duplicate":
            return last_clean if last_clean is not None else clean
        if kind == "garbage":
            return self._pick(GARBAGE_LINES).encode()
        return b""  # empty

    def _break_course(self, clean: bytes) -> bytes:
        for course in self.courses:
            key = course.key.encode()
            if b'"course_id":"' + key + b'"' in clean:
                return clean.replace(key, self._pick(BAD_COURSE_IDS).encode())
        # Course-less events get a bad course id injected into the context.
        bad = b'"course_id":"' + self._pick(BAD_COURSE_IDS).encode() + b'"'
        return clean.replace(b'"course_id":""', bad, 1)

    # ---- driver --------------------------------------------------------
    def batches(
        self, first: int, count: int, dirt: float, kind_counts: list[int], dirt_counts: dict[str, int]
    ) -> Iterator[bytes]:
        """Yield lines ``first .. first+count-1`` as newline-terminated chunks of
        ``_BATCH`` lines (small enough to stay in cache while joined and compressed),
        adding to the counters as it goes."""
        rand, bis = self.rand, bisect.bisect
        kinds, kind_cum, dirt_cum, renderers = self.kinds, self.kind_cum, self.dirt_cum, self.renderers
        last_clean: bytes | None = None
        out: list[bytes] = []
        for i in range(first, first + count):
            dirty = rand() < dirt
            dirt_kind = self.dirt_kinds[bis(dirt_cum, rand())] if dirty else ""
            if dirt_kind in ("empty", "garbage") or (dirt_kind == "duplicate" and last_clean is not None):
                dirt_counts[dirt_kind] += 1
                out.append(self._dirty(dirt_kind, b"", 0, last_clean))
            else:
                t, ts = self._clock(i)
                k = bis(kind_cum, rand())
                line = renderers[k](ts, kinds[k])
                if not dirty or dirt_kind == "duplicate":  # a duplicate with nothing before it stays clean
                    kind_counts[k] += 1
                    last_clean = line
                else:
                    dirt_counts[dirt_kind] += 1
                    if dirt_kind in VALID_DIRT:
                        kind_counts[k] += 1
                    line = self._dirty(dirt_kind, line, t, last_clean)
                out.append(line)
            if len(out) >= _BATCH:
                out.append(b"")
                yield b"\n".join(out)
                out = []
        if out:
            out.append(b"")
            yield b"\n".join(out)


# ---- output ---------------------------------------------------------------
# Chunks are rendered and compressed in worker processes (threads don't help:
# generation is pure Python) and stitched into ONE gzip member the way pigz
# does: each chunk is a raw deflate stream ended by a sync flush, so the
# pieces concatenate; the CRCs are combined. A single member matters because
# some gzip readers stop after the first member, and real rotated logs have one.

CHUNK_LINES = 50_000  # fixed, so the output does not depend on the process count


@dataclass
class Chunk:
    data: bytes  # raw deflate (sync-flushed) or plain text
    crc: int
    size: int  # uncompressed bytes
    kind_counts: list[int]
    dirt_counts: dict[str, int]


_worker: _Generator | None = None


def _init_worker(seed: int, start: dt.date, days: float, lines: int) -> None:
    global _worker
    _worker = _Generator(seed, start, days, lines)


class _Deflater(Protocol):
    def compress(self, data: bytes, /) -> bytes: ...
    def flush(self, mode: int, /) -> bytes: ...


def _deflater(level: int) -> _Deflater:
    """Raw-deflate compressor: ISA-L for levels 0-3 (several times faster than
    zlib), zlib-ng (else zlib) for higher levels."""
    if level <= 3:
        from isal import isal_zlib

        return isal_zlib.compressobj(level, isal_zlib.DEFLATED, -15)
    try:
        from zlib_ng import zlib_ng as zmod
    except ImportError:
        import zlib as zmod
    return zmod.compressobj(level, zmod.DEFLATED, -15)


def _render_chunk(task: tuple[int, int, int, float, int | None]) -> Chunk:
    """Render one chunk; ``level`` None means plain text."""
    from isal import isal_zlib

    chunk, first, count, dirt, level = task
    gen = _worker
    assert gen is not None, "worker not initialised"
    gen.start_chunk(chunk, first)
    kind_counts = [0] * len(gen.kinds)
    dirt_counts = dict.fromkeys(gen.dirt_kinds, 0)
    deflater = _deflater(level) if level is not None else None
    parts: list[bytes] = []
    crc = size = 0
    for data in gen.batches(first, count, dirt, kind_counts, dirt_counts):
        size += len(data)
        if deflater is None:
            parts.append(data)
        else:
            crc = isal_zlib.crc32(data, crc)
            parts.append(deflater.compress(data))
    if deflater is not None:
        parts.append(deflater.flush(isal_zlib.Z_SYNC_FLUSH))
    return Chunk(b"".join(parts), crc, size, kind_counts, dirt_counts)


def _chunk_results(
    lines: int, seed: int, start: dt.date, days: float, dirt: float, level: int | None, processes: int
) -> Iterator[Chunk]:
    """Chunks in file order, rendered by ``processes`` workers (1: in-process)."""
    tasks = [
        (n, first, min(CHUNK_LINES, lines - first), dirt, level)
        for n, first in enumerate(range(0, lines, CHUNK_LINES))
    ]
    if processes <= 1 or len(tasks) <= 1:
        _init_worker(seed, start, days, lines)
        yield from map(_render_chunk, tasks)
        return
    ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ctx.Pool(processes, _init_worker, (seed, start, days, lines)) as pool:
        yield from pool.imap(_render_chunk, tasks)


def _gzip_header() -> bytes:
    # magic, deflate, no flags, mtime 0 (reproducible bytes), no extra flags, OS unknown
    return b"\x1f\x8b\x08\x00" + b"\x00\x00\x00\x00" + b"\x00\xff"


def write_log(
    path: str | Path,
    lines: int,
    seed: int,
    start: dt.date | str = dt.date(2024, 1, 4),
    days: float = 1,
    dirt: float = 0.01,
    level: int = DEFAULT_LEVEL,
    processes: int | None = None,
) -> dict:
    """Write ``lines`` log lines to ``path`` and return what was written.

    ``path`` ending in ``.gz`` is gzip-compressed at ``level`` (one member).
    The returned dict has ``lines`` (physical lines, dirt included), ``bytes``
    (uncompressed size), ``valid_events`` (clean plus prefixed lines: what a
    store should keep, before deciding about ``dirt["invalid_course"]``),
    ``event_kinds`` (per kind, over valid events) and ``dirt`` (per kind).
    ``dirt["duplicate"]`` lines repeat an earlier clean line byte for byte.
    """
    from isal import isal_zlib

    if isinstance(start, str):
        start = dt.date.fromisoformat(start)
    path = Path(path)
    gz = path.suffix == ".gz"
    kinds, _cum = _cumulative(KIND_WEIGHTS)
    kind_counts = [0] * len(kinds)
    dirt_counts = dict.fromkeys(DIRT_WEIGHTS, 0)
    crc = size = 0
    procs = processes or os.cpu_count() or 1
    with open(path, "wb") as fh:
        if gz:
            fh.write(_gzip_header())
        for chunk in _chunk_results(lines, seed, start, days, dirt, level if gz else None, procs):
            fh.write(chunk.data)
            crc = isal_zlib.crc32_combine(crc, chunk.crc, chunk.size)
            size += chunk.size
            kind_counts = [a + b for a, b in zip(kind_counts, chunk.kind_counts, strict=True)]
            for key, value in chunk.dirt_counts.items():
                dirt_counts[key] += value
        if gz:
            fh.write(b"\x03\x00")  # final, empty fixed-Huffman block
            fh.write(struct.pack("<II", crc, size & 0xFFFFFFFF))
    event_kinds = dict(zip(kinds, kind_counts, strict=True))
    return {
        "path": str(path),
        "lines": lines,
        "seed": seed,
        "start": start.isoformat(),
        "days": days,
        "dirt_fraction": dirt,
        "level": level if gz else None,
        "bytes": size,
        "valid_events": sum(kind_counts),
        "event_kinds": event_kinds,
        "dirt": dirt_counts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic Open edX tracking log.")
    parser.add_argument("out", type=Path, help="output file (.gz is gzip-compressed)")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start-date", default="2024-01-04", help="first day, YYYY-MM-DD (UTC)")
    parser.add_argument("--days", type=float, default=1.0, help="time span covered by the lines")
    parser.add_argument("--dirt", type=float, default=0.01, help="fraction of dirty lines")
    parser.add_argument(
        "--level",
        type=int,
        default=DEFAULT_LEVEL,
        help=f"gzip level (default {DEFAULT_LEVEL}; 0-3 use ISA-L, 4-9 zlib-ng/zlib)",
    )
    parser.add_argument("--processes", type=int, default=None, help="worker processes (default: CPUs)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    stats = write_log(
        args.out, args.lines, args.seed, args.start_date, args.days, args.dirt, args.level, args.processes
    )
    elapsed = time.perf_counter() - began
    stats["seconds"] = round(elapsed, 3)
    stats["lines_per_second"] = round(args.lines / elapsed) if elapsed else None
    stats["avg_line_bytes"] = round(stats["bytes"] / max(args.lines, 1), 1)
    json.dump(stats, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
