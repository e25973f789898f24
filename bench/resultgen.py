"""Synthetic results for N courses x D days, published through the real loader (bench/api, bench/dashboard).

Deterministic for a seed: enrollment per day and per mode, weekly activity, course summaries,
videos and their timelines, answer distributions, problem summaries, problem tags and
engagement ranges, at sizes a large Open edX instance has (a year of a thousand courses).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from edinsights.families.engagement.vocabulary import ENGAGEMENT_METRICS, RANGE_TYPES

START = date(2024, 1, 1)  # a Monday: activity weeks start on Mondays
MODES = (("audit", 0.55), ("verified", 0.25), ("honor", 0.1), ("professional", 0.06), ("masters", 0.04))
LABELS = ("ACTIVE", "ATTEMPTED_PROBLEM", "PLAYED_VIDEO", "POSTED_FORUM")
AVAILABILITY = ("Current", "Current", "Upcoming", "Archived")
TAGS = {"difficulty": ("easy", "medium", "hard"), "learning_outcome": ("LO1", "LO2", "LO3", "LO4")}


def fill(
    home: Path,
    courses: int,
    days: int,
    videos: int = 20,
    segments: int = 100,
    problems: int = 30,
    seed: int = 1,
) -> None:
    """Publish the synthetic results into HOME's result store (Django is set up on HOME)."""
    from edinsights.config import Settings
    from edinsights.web.server import setup_django

    setup_django(Settings.load(home))
    from edinsights.metrics.registry import metrics
    from edinsights.results.loader import publish
    from edinsights.results.models import model_for_table

    # Each generator yields rows in the column order its metric declares (the registry's).
    tables = {
        "enrollment_daily": _enrollment_daily(seed, courses, days),
        "enrollment_mode_daily": _enrollment_modes(seed, courses, days),
        "course_activity": _activity(seed, courses, days),
        "course_summary": _summaries(seed, courses, days),
        "video": _videos(seed, courses, videos, segments),
        "video_timeline": _timelines(seed, courses, videos, segments),
        "answer_distribution": _answers(seed, courses, problems),
        "problem_summary": _problems(seed, courses, problems),
        "tags_distribution": _tags(seed, courses, problems),
        "module_engagement_metric_ranges": _ranges(seed, courses, days),
    }
    declared = metrics()
    total, started = 0, time.perf_counter()
    for metric, rows in tables.items():
        began, table = time.perf_counter(), declared[metric].table
        count = publish(metric, model_for_table(table), declared[metric].result_columns(), rows)
        total += count
        print(f"  {table}: {count:,} rows in {time.perf_counter() - began:.1f} s", flush=True)
    seconds = time.perf_counter() - started
    print(
        f"loaded {total:,} rows for {courses:,} courses x {days} days in {seconds:.1f} s "
        f"({total / seconds:,.0f} rows/s, generation included); "
        f"result store {(home / 'results.sqlite3').stat().st_size / 1e6:,.0f} MB",
        flush=True,
    )


def course_id(number: int) -> str:
    return f"course-v1:Org{number % 20}+C{number}+2024"


def _block(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _enrollment_daily(seed: int, courses: int, days: int) -> Iterator[tuple]:
    for number in range(courses):
        rng = random.Random(f"{seed}-enrollment-{number}")
        course, size = course_id(number), rng.randint(20, 400)
        enrolled = cumulative = 0
        for day in range(days):
            joined = rng.randint(0, size // 10 + 1)
            left = rng.randint(0, joined // 3 + 1)
            cumulative += joined
            enrolled = max(0, enrolled + joined - left)
            yield course, START + timedelta(days=day), enrolled, cumulative


def _enrollment_modes(seed: int, courses: int, days: int) -> Iterator[tuple]:
    for number in range(courses):
        rng = random.Random(f"{seed}-modes-{number}")
        course, size = course_id(number), rng.randint(20, 400)
        enrolled = dict.fromkeys((mode for mode, _ in MODES), 0)
        cumulative = dict(enrolled)
        for day in range(days):
            when = START + timedelta(days=day)
            for mode, share in MODES:
                joined = rng.randint(0, int(size * share) // 10 + 1)
                cumulative[mode] += joined
                enrolled[mode] = max(0, enrolled[mode] + joined - rng.randint(0, joined // 3 + 1))
                yield course, when, mode, enrolled[mode], cumulative[mode]


def _activity(seed: int, courses: int, days: int) -> Iterator[tuple]:
    weeks = (days + 6) // 7
    for number in range(courses):
        rng = random.Random(f"{seed}-activity-{number}")
        course, size = course_id(number), rng.randint(50, 5000)
        for week in range(weeks):
            start = datetime.combine(START + timedelta(weeks=week), datetime.min.time(), UTC)
            active = rng.randint(size // 4, size)
            for label, share in zip(LABELS, (1.0, 0.5, 0.7, 0.1), strict=True):
                yield (
                    course,
                    start,
                    start + timedelta(days=7),
                    label,
                    int(active * share * rng.uniform(0.7, 1)),
                )


def _summaries(seed: int, courses: int, days: int) -> Iterator[tuple]:
    for number in range(courses):
        rng = random.Random(f"{seed}-summary-{number}")
        start = datetime.combine(START, datetime.min.time(), UTC) + timedelta(days=rng.randint(0, 60))
        for mode, share in MODES:
            count = int(rng.randint(100, 20_000) * share)
            yield (
                course_id(number),
                f"Course {number}",
                f"Org{number % 20}+C{number}",
                start,
                start + timedelta(days=days),
                rng.choice(("instructor_paced", "self_paced")),
                AVAILABILITY[number % len(AVAILABILITY)],
                mode,
                count,
                count + rng.randint(0, count // 2 + 1),
                rng.randint(-5, 50),
                rng.randint(0, count // 3 + 1) if mode == "verified" else None,
            )


def _video_plan(seed: int, number: int, videos: int, segments: int) -> Iterator[tuple[str, str, int]]:
    """(course, block id, segments) of each video of course `number` (videos and timelines agree)."""
    rng = random.Random(f"{seed}-videos-{number}")
    for _ in range(videos):
        yield course_id(number), _block(rng), rng.randint(segments // 2, segments * 3 // 2)


def _videos(seed: int, courses: int, videos: int, segments: int) -> Iterator[tuple]:
    for number in range(courses):
        rng = random.Random(f"{seed}-video-rows-{number}")
        for course, block, count in _video_plan(seed, number, videos, segments):
            start = rng.randint(50, 2000)
            yield (
                f"{course}|{block}",
                course,
                block,
                count * 5,
                5,
                start,
                start * rng.randint(20, 80) // 100,
                start * count * 5 * rng.randint(30, 70) // 100,
            )


def _timelines(seed: int, courses: int, videos: int, segments: int) -> Iterator[tuple]:
    for number in range(courses):
        rng = random.Random(f"{seed}-timeline-{number}")
        for course, block, count in _video_plan(seed, number, videos, segments):
            users = rng.randint(50, 2000)
            for segment in range(count):
                users = max(1, users - rng.randint(0, users // 50 + 1))
                yield f"{course}|{block}", segment, users, users + rng.randint(0, users // 5 + 1)


def _problem_plan(seed: int, number: int, problems: int) -> Iterator[tuple[str, str, str, int]]:
    """(course, module id, block id, parts) of each problem of course `number`."""
    rng = random.Random(f"{seed}-problems-{number}")
    course = course_id(number)
    for _ in range(problems):
        block = _block(rng)
        module = f"block-v1:Org{number % 20}+C{number}+2024+type@problem+block@{block}"
        yield course, module, block, rng.choice((1, 1, 1, 2, 3))


def _answers(seed: int, courses: int, problems: int) -> Iterator[tuple]:
    for number in range(courses):
        rng = random.Random(f"{seed}-answers-{number}")
        for index, (course, module, block, parts) in enumerate(_problem_plan(seed, number, problems)):
            for part in range(parts):
                right = rng.randint(0, 3)
                for choice in range(rng.randint(2, 5)):
                    count = rng.randint(1, 500)
                    yield (
                        course,
                        module,
                        f"{block}_{part + 2}_1",
                        choice == right,
                        count,
                        count * 2 // 3,
                        count * 3 // 4,
                        f"choice_{choice}",
                        f"Answer {choice}",
                        None,
                        f"Problem {index}",
                        f"Question {index}.{part}",
                    )


def _problems(seed: int, courses: int, problems: int) -> Iterator[tuple]:
    for number in range(courses):
        rng = random.Random(f"{seed}-problem-rows-{number}")
        for index, (course, module, _block_id, _parts) in enumerate(_problem_plan(seed, number, problems)):
            total, users = rng.randint(10, 3000), rng.randint(5, 1000)
            yield (
                course,
                module,
                f"Problem {index}",
                total,
                total * rng.randint(20, 90) // 100,
                users,
                users // 2,
            )


def _tags(seed: int, courses: int, problems: int) -> Iterator[tuple]:
    for number in range(courses):
        rng = random.Random(f"{seed}-tags-{number}")
        for course, module, _block_id, _parts in _problem_plan(seed, number, problems):
            total = rng.randint(10, 3000)
            correct = total * rng.randint(20, 90) // 100
            for name, values in TAGS.items():
                yield course, module, name, rng.choice(values), total, correct


def _ranges(seed: int, courses: int, days: int) -> Iterator[tuple]:
    end = START + timedelta(days=days)
    for number in range(courses):
        rng = random.Random(f"{seed}-ranges-{number}")
        for metric in ENGAGEMENT_METRICS:
            low, high, top = rng.randint(0, 3), rng.randint(4, 12), rng.randint(13, 60)
            for kind, bottom, ceiling in zip(RANGE_TYPES, (0, low, high), (low, high, top), strict=True):
                yield course_id(number), end - timedelta(days=7), end, metric, kind, bottom, ceiling
