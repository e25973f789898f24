"""Simulated courses: keys, a chapter → sequential → vertical tree, videos and problems.

Shapes follow Open edX: `course-v1:Org+Number+Run` courses use `block-v1:` usage keys, old
`Org/Number/Run` courses use `i4x://` locations, and a CCX key points at a course-v1 course.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

PROBLEM_KINDS = (
    # (response type, input type, display-name stem)
    ("multiplechoiceresponse", "choicegroup", "Multiple Choice"),
    ("choiceresponse", "checkboxgroup", "Checkboxes"),
    ("numericalresponse", "formulaequationinput", "Numerical Input"),
    ("stringresponse", "textline", "Text Input"),
)
ORGS = ("edX", "MITx", "HarvardX", "DelftX", "UQx")
SUBJECTS = ("Data Science", "Circuits", "Climate", "Statistics", "Writing", "Biology", "Economics")


@dataclass(frozen=True)
class Video:
    usage_key: str
    player_id: str
    """The id the browser player reports (the block's hex id)."""
    duration: float
    youtube_id: str | None
    display_name: str


@dataclass(frozen=True)
class Problem:
    usage_key: str
    block_hex: str
    display_name: str
    response_type: str
    input_type: str
    question: str
    choices: tuple[str, ...]
    correct: tuple[int, ...]
    """Indexes of the correct choices (numerical/text problems: index into `choices` too)."""
    randomized: bool
    difficulty: float
    """0 (easy) .. 1 (hard): lowers the chance of a correct answer."""
    tags: dict[str, object] | None = None
    """The tagging aside's saved tags (about a third of the problems have some)."""


@dataclass(frozen=True)
class Unit:
    usage_key: str
    path: str
    """URL path of the unit's page in the courseware."""
    videos: tuple[Video, ...]
    problems: tuple[Problem, ...]


@dataclass
class Course:
    key: str
    org: str
    display_name: str
    start: date
    units: list[Unit] = field(default_factory=list)
    forum_topics: list[str] = field(default_factory=list)

    @property
    def videos(self) -> list[Video]:
        return [video for unit in self.units for video in unit.videos]

    @property
    def problems(self) -> list[Problem]:
        return [problem for unit in self.units for problem in unit.problems]


def make_courses(count: int, first_day: date, days: int, rng: random.Random) -> list[Course]:
    """`count` courses (at least one old-style key and one CCX when count >= 3)."""
    courses: list[Course] = []
    for index in range(count):
        org = ORGS[index % len(ORGS)]
        number = f"{SUBJECTS[index % len(SUBJECTS)][:4].upper()}{101 + index}x"
        run = f"{first_day.year}_T{1 + index % 3}"
        # Start dates spread from before the simulated range to its middle, so some courses
        # have learners who enrolled before the logs begin.
        start = first_day + timedelta(days=rng.randint(-20, max(days // 2, 1)))
        if index == 1:
            key = f"{org}/{number}/{run}"
        elif index == 2 and courses:
            base = courses[0].key.removeprefix("course-v1:")
            key = f"ccx-v1:{base}+ccx@{rng.randint(1, 40)}"
        else:
            key = f"course-v1:{org}+{number}+{run}"
        course = Course(key, org, f"{SUBJECTS[index % len(SUBJECTS)]} {index + 1}", start)
        _build_tree(course, rng)
        courses.append(course)
    return courses


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _usage_key(course: Course, block_type: str, block_hex: str) -> str:
    if course.key.startswith("course-v1:"):
        return f"block-v1:{course.key.removeprefix('course-v1:')}+type@{block_type}+block@{block_hex}"
    if course.key.startswith("ccx-v1:"):
        return f"ccx-block-v1:{course.key.removeprefix('ccx-v1:')}+type@{block_type}+block@{block_hex}"
    org, number, _run = course.key.split("/")
    return f"i4x://{org}/{number}/{block_type}/{block_hex}"


def _build_tree(course: Course, rng: random.Random) -> None:
    for chapter_index in range(rng.randint(4, 7)):
        chapter = _hex(rng)
        for sequential_index in range(rng.randint(2, 3)):
            sequential = _hex(rng)
            lecture = f"Lecture {chapter_index + 1}.{sequential_index + 1}"
            numbered = 0  # the subsection's videos are "Lecture 1.1.1", "Lecture 1.1.2"…
            for vertical_index in range(rng.randint(2, 4)):
                vertical = _hex(rng)
                path = f"/courses/{course.key}/courseware/{chapter}/{sequential}/{vertical_index + 1}"
                count = rng.choice((0, 1, 1, 2))
                videos = tuple(
                    _make_video(course, rng, f"{lecture}.{numbered + number + 1}") for number in range(count)
                )
                numbered += count
                problems = tuple(_make_problem(course, rng) for _ in range(rng.choice((0, 0, 1, 2, 3))))
                course.units.append(Unit(_usage_key(course, "vertical", vertical), path, videos, problems))
        course.forum_topics.append(f"topic-{chapter}")
    course.forum_topics.append("course")


def _make_video(course: Course, rng: random.Random, name: str) -> Video:
    block_hex = _hex(rng)
    youtube = "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") for _ in range(11)
    )
    return Video(
        usage_key=_usage_key(course, "video", block_hex),
        player_id=block_hex,
        duration=round(rng.uniform(90, 900), 2),
        youtube_id=youtube if rng.random() < 0.4 else None,
        display_name=name,
    )


def _make_problem(course: Course, rng: random.Random) -> Problem:
    response_type, input_type, stem = rng.choice(PROBLEM_KINDS)
    block_hex = _hex(rng)
    if response_type in {"multiplechoiceresponse", "choiceresponse"}:
        choices = tuple(f"Option {letter}" for letter in "ABCDE"[: rng.randint(3, 5)])
        if response_type == "choiceresponse":
            correct = tuple(sorted(rng.sample(range(len(choices)), rng.randint(1, 2))))
        else:
            correct = (rng.randrange(len(choices)),)
        question = f"Which option is right for question {block_hex[:4]}?"
    elif response_type == "numericalresponse":
        value = rng.randint(2, 99)
        choices = (str(value), str(value + 1), str(value * 2), str(value - 1))
        correct = (0,)
        question = f"What is {value // 2} + {value - value // 2}?"
    else:
        choices = ("photosynthesis", "respiration", "osmosis")
        correct = (0,)
        question = "Name the process by which plants make sugar."
    return Problem(
        usage_key=_usage_key(course, "problem", block_hex),
        block_hex=block_hex,
        display_name=f"{stem} {block_hex[:4]}",
        response_type=response_type,
        input_type=input_type,
        question=question,
        choices=choices,
        correct=correct,
        randomized=rng.random() < 0.2,
        difficulty=(difficulty := rng.random()),
        tags=_tags(block_hex, difficulty),
    )


def _tags(block_hex: str, difficulty: float) -> dict[str, object] | None:
    """Tags for a third of the problems, from what they are (draws nothing: other output stays the same)."""
    number = int(block_hex[:4], 16)
    if number % 3:
        return None
    level = "easy" if difficulty < 0.33 else "medium" if difficulty < 0.66 else "hard"
    outcomes = [f"LO{1 + number % 4}"] + ([f"LO{1 + number % 5}"] if number % 2 else [])
    return {"difficulty_tag": level, "learning_outcome_tag": sorted(set(outcomes))}
