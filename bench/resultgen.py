"""Synthetic results for N courses x D days, published through the real loader (bench/api, bench/dashboard).

Deterministic for a seed: enrollment per day and per mode, weekly activity, course summaries
(with whatever catalog columns the result model has), videos and their timelines, answer
distributions, problem summaries, problem tags and engagement ranges, at sizes a large Open edX
instance has (a year of a thousand courses); and every course's outline (`course_structure`)
and grading policy (`course_grading_policy`), which place those videos and problems.

The outline of a course (`outline_plan`): a root, 10 sections of 4 subsections of 5 units (200
units), each unit an html block plus, in some units, a video or a problem. The videos and
problems with results are placed by their block ids (the same 32-hex ids as the results carry),
every graded subsection gets at least one problem, and a few more videos and problems have no
results yet. Subsection 3 of each section is graded Homework, subsection 4 of even sections a
Lab, and subsection 4 of sections 5 and 10 an Exam; the grading policy weighs them 40/20/40 %
(and lists a zero-weight "Practice" type, which pages leave out). What the outline does not
place, so that pages show a "(Deleted)" section: the last video and the last problem of each
course are in no outline, and the last but one problem is an orphan block (unreachable from
the root).
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
SECTIONS, SUBSECTIONS, UNITS = 10, 4, 5
GRADING_POLICY = (  # assignment type, weight, drop count, min count (in the policy's order)
    ("Homework", 0.4, 2, SECTIONS),
    ("Lab", 0.2, 1, SECTIONS // 2),
    ("Exam", 0.4, 0, 2),
    ("Practice", 0.0, 0, 0),
)


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
    started = time.perf_counter()
    total = publish_all(courses, days, videos, segments, problems, seed, report=True)
    seconds = time.perf_counter() - started
    print(
        f"loaded {total:,} rows for {courses:,} courses x {days} days in {seconds:.1f} s "
        f"({total / seconds:,.0f} rows/s, generation included); "
        f"result store {store_size_mb(home):,.0f} MB",
        flush=True,
    )


def fill_once(home: Path, courses: int, days: int, seed: int = 1, **sizes: int) -> None:
    """fill() unless HOME was filled with these parameters already (kept homes: bench --home);
    then only set Django up on it (its migrations run: tables added since are created empty)."""
    import json

    from edinsights.config import Settings
    from edinsights.web.server import setup_django

    marker = home / "resultgen.json"
    wanted = {"courses": courses, "days": days, "seed": seed, **sizes}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        setup_django(Settings.load(home))
        print(f"reusing {home} ({courses:,} courses x {days} days, filled before)", flush=True)
        return
    marker.unlink(missing_ok=True)
    fill(home, courses, days, seed=seed, **sizes)
    marker.write_text(json.dumps(wanted))


def publish_all(
    courses: int,
    days: int,
    videos: int = 20,
    segments: int = 100,
    problems: int = 30,
    seed: int = 1,
    *,
    using: str = "default",
    report: bool = False,
) -> int:
    """Publish every synthetic table into the `using` result store (Django set up); the row count."""
    from edinsights.metrics.registry import metrics
    from edinsights.results.loader import publish
    from edinsights.results.models import model_for_table

    declared = metrics()
    tables = {
        "enrollment_daily": _enrollment_daily(seed, courses, days),
        "enrollment_mode_daily": _enrollment_modes(seed, courses, days),
        "course_activity": _activity(seed, courses, days),
        "course_summary": _summaries(seed, courses, days, declared["course_summary"].result_columns()),
        "video": _videos(seed, courses, videos, segments),
        "video_timeline": _timelines(seed, courses, videos, segments),
        "answer_distribution": _answers(seed, courses, problems),
        "problem_summary": _problems(seed, courses, problems),
        "tags_distribution": _tags(seed, courses, problems),
        "module_engagement_metric_ranges": _ranges(seed, courses, days),
        "course_structure": _structure(seed, courses, videos, segments, problems),
        "course_grading_policy": _grading_policy(courses),
        # Later modules' tables (published when this checkout has the metric):
        "section_activity": _section_activity(seed, courses, videos, segments, problems),
    }
    total = 0
    for metric, rows in tables.items():
        if metric not in declared:  # a module this checkout does not have
            continue
        began, table = time.perf_counter(), declared[metric].table
        # Generators yield tuples in the column order the metric declares, or dicts by column.
        columns = declared[metric].result_columns()
        count = publish(metric, model_for_table(table), columns, _in_order(rows, columns), using=using)
        total += count
        if report:
            print(f"  {table}: {count:,} rows in {time.perf_counter() - began:.1f} s", flush=True)
    return total


def store_size_mb(home: Path, using: str = "default") -> float:
    """The result store's size: the SQLite file, or the server database's tables and indexes."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite":
        return Path(connection.settings_dict["NAME"]).stat().st_size / 1e6
    with connection.cursor() as cursor:
        if connection.vendor == "mysql":
            cursor.execute(
                "SELECT SUM(data_length + index_length) FROM information_schema.tables"
                " WHERE table_schema = DATABASE()"
            )
        else:
            cursor.execute("SELECT pg_database_size(current_database())")
        return float(cursor.fetchone()[0] or 0) / 1e6


def _in_order(rows: Iterator[tuple] | Iterator[dict], columns: tuple[str, ...]) -> Iterator[tuple]:
    """Rows as tuples in `columns` order (generators of dicts by column name are converted)."""
    for row in rows:
        yield tuple(row[column] for column in columns) if isinstance(row, dict) else row


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


def _summaries(seed: int, courses: int, days: int, columns: tuple[str, ...]) -> Iterator[tuple]:
    """Rows of course_meta_summary_enrollment in `columns` order: the columns this file knows,
    and any other (catalog) column the model has now, filled by its field type (catalog())."""
    from edinsights.results.models import model_for_table

    fields = {
        field.column: field
        for field in model_for_table("course_meta_summary_enrollment")._meta.concrete_fields
    }
    for number in range(courses):
        rng = random.Random(f"{seed}-summary-{number}")
        start = datetime.combine(START, datetime.min.time(), UTC) + timedelta(days=rng.randint(0, 60))
        pacing = rng.choice(("instructor_paced", "self_paced"))
        extra = catalog(number, start, days)
        for mode, share in MODES:
            count = int(rng.randint(100, 20_000) * share)
            known = {
                "course_id": course_id(number),
                "catalog_course_title": f"Course {number}",
                "catalog_course": f"Org{number % 20}+C{number}",
                "start_time": start,
                "end_time": start + timedelta(days=days),
                "pacing_type": pacing,
                "availability": AVAILABILITY[number % len(AVAILABILITY)],
                "enrollment_mode": mode,
                "count": count,
                "cumulative_count": count + rng.randint(0, count // 2 + 1),
                "count_change_7_days": rng.randint(-5, 50),
                "passing_users": rng.randint(0, count // 3 + 1) if mode == "verified" else None,
            }
            yield tuple(
                known[column] if column in known else _catalog_value(fields[column], column, extra, number)
                for column in columns
            )


def catalog(number: int, start: datetime, days: int) -> dict[str, object]:
    """Course `number`'s catalog entry (as structure_courses has it), for catalog columns by name."""
    return {
        "name": f"Course {number}",
        "org": f"Org{number % 20}",
        "number": f"C{number}",
        "start": start,
        "end": start + timedelta(days=days),
        "enrollment_start": start - timedelta(days=30),
        "enrollment_end": None if number % 3 else start + timedelta(days=days // 2),
        "pacing": "self" if number % 3 == 0 else "instructor",
    }


def _catalog_value(field: object, column: str, entry: dict[str, object], number: int) -> object:
    """A value for a column resultgen does not know (a later catalog column), by name then type."""
    from django.db import models

    name = column.lower()
    for words, key in (
        (("enrollment_start", "enroll_start"), "enrollment_start"),
        (("enrollment_end", "enroll_end"), "enrollment_end"),
        (("start",), "start"),
        (("end",), "end"),
        (("org",), "org"),
        (("number",), "number"),
        (("pacing",), "pacing"),
        (("name", "title"), "name"),
    ):
        if any(word in name for word in words):
            value = entry[key]
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                return value.date() if isinstance(value, datetime) else value
            if isinstance(field, (models.DateTimeField, models.DateField)) or value is None:
                return value if getattr(field, "null", False) or value is not None else entry["start"]
            if isinstance(field, (models.CharField, models.TextField)):
                return str(value)
    if getattr(field, "null", False):
        return None
    if isinstance(field, models.BooleanField):
        return number % 2 == 0
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return number % 7
    if isinstance(field, models.DateTimeField):
        return entry["start"]
    if isinstance(field, models.DateField):
        return START
    return f"{column} {number % 5}"


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


def _usage(number: int, block_type: str, name: str) -> str:
    return f"block-v1:Org{number % 20}+C{number}+2024+type@{block_type}+block@{name}"


def _graded_format(section: int, subsection: int) -> str | None:
    """The assignment type of subsection (section, subsection), 0-based; None: ungraded."""
    if subsection == 2:
        return "Homework"
    if subsection == 3 and section in (4, SECTIONS - 1):
        return "Exam"
    if subsection == 3 and section % 2 == 0:
        return "Lab"
    return None


def outline_plan(
    seed: int, number: int, videos: int, segments: int, problems: int
) -> list[dict[str, object]]:
    """Course `number`'s course_structure rows (as dicts by column), in pre-order, orphans last.

    Places the course's videos and problems of _video_plan/_problem_plan by their block ids,
    but for the last video and the last problem (in no outline) and the last but one problem
    (an orphan); see the module docstring for the shape.
    """
    rng = random.Random(f"{seed}-outline-{number}")
    video_blocks = [block for _course, block, _count in _video_plan(seed, number, videos, segments)]
    problem_blocks = [block for _course, _module, block, _parts in _problem_plan(seed, number, problems)]
    placed_videos = video_blocks[:-1]
    placed_problems, orphan_problems = problem_blocks[:-2], problem_blocks[-2:-1]
    units = [(s, sub, u) for s in range(SECTIONS) for sub in range(SUBSECTIONS) for u in range(UNITS)]
    graded_units = [
        [unit for unit in units if unit[:2] == (s, sub)]
        for s in range(SECTIONS)
        for sub in range(SUBSECTIONS)
        if _graded_format(s, sub)
    ]
    # Every graded subsection gets a problem first; the other problems and the videos go anywhere.
    problem_at: dict[tuple[int, int, int], list[str]] = {}
    for index, block in enumerate(placed_problems):
        unit = rng.choice(graded_units[index]) if index < len(graded_units) else rng.choice(units)
        problem_at.setdefault(unit, []).append(block)
    video_at: dict[tuple[int, int, int], list[str]] = {}
    for block in placed_videos:
        video_at.setdefault(rng.choice(units), []).append(block)
    for section in range(SECTIONS):  # one video and one problem without results per section
        video_at.setdefault((section, rng.randrange(SUBSECTIONS), rng.randrange(UNITS)), []).append(
            _block(rng)
        )
        problem_at.setdefault((section, rng.randrange(SUBSECTIONS), rng.randrange(UNITS)), []).append(
            _block(rng)
        )

    course = course_id(number)
    start = datetime.combine(START, datetime.min.time(), UTC)
    rows: list[dict[str, object]] = []

    def add(block_type: str, name: str, display: str, parent: dict | None, **values: object) -> dict:
        row = {
            "course_id": course,
            "block_id": _usage(number, block_type, name),
            "block_name": name,
            "block_type": block_type,
            "display_name": display,
            "parent_block_id": parent["block_id"] if parent else None,
            "sort_idx": len(rows),
            "is_root": parent is None,
            "is_orphan": False,
            "is_dag": False,
            "course_path": (
                ""
                if parent is None
                else " / ".join(p for p in (parent["course_path"], parent["display_name"]) if p)
            ),
            "graded": values.get("graded", parent["graded"] if parent else False),
            "format": values.get("format"),
            "due": values.get("due", parent["due"] if parent else None),
            "start": values.get("start", parent["start"] if parent else start),
        }
        rows.append(row)
        return row

    root = add("course", "course", f"Course {number}", None, graded=False, due=None, start=start)
    for section in range(SECTIONS):
        chapter = add(
            "chapter",
            _block(rng),
            f"Week {section + 1}: Topic {number}.{section + 1}" + (" & more" if section == 1 else ""),
            root,
            start=start + timedelta(weeks=section),
        )
        for sub in range(SUBSECTIONS):
            kind = _graded_format(section, sub)
            sequential = add(
                "sequential",
                _block(rng),
                f"{kind or 'Lesson'} {section + 1}.{sub + 1}",
                chapter,
                graded=kind is not None,
                format=kind,
                due=start + timedelta(weeks=section + 1) if kind else None,
            )
            for unit in range(UNITS):
                vertical = add(
                    "vertical", _block(rng), f"Unit {section + 1}.{sub + 1}.{unit + 1}", sequential
                )
                add("html", _block(rng), f"Reading {section + 1}.{sub + 1}.{unit + 1}", vertical)
                for block in video_at.get((section, sub, unit), ()):
                    add("video", block, f"Video {block[:6]}", vertical)
                for block in problem_at.get((section, sub, unit), ()):
                    add(
                        "problem",
                        block,
                        f"Problem {problem_blocks.index(block)}"
                        if block in problem_blocks
                        else f"Exercise {block[:6]}",
                        vertical,
                    )
    for block in orphan_problems:  # unreachable from the root: the outline does not place it
        row = add("problem", block, f"Problem {problem_blocks.index(block)}", None)
        row.update(is_root=False, is_orphan=True, course_path="(Deleted block :)", start=None)
    orphans = [row for row in rows if row["is_orphan"]]
    for row in orphans:
        row["sort_idx"] = len(rows)
    return rows


def _structure(seed: int, courses: int, videos: int, segments: int, problems: int) -> Iterator[dict]:
    for number in range(courses):
        yield from outline_plan(seed, number, videos, segments, problems)


def _grading_policy(courses: int) -> Iterator[dict]:
    for number in range(courses):
        for assignment_type, weight, drop_count, min_count in GRADING_POLICY:
            yield {
                "course_id": course_id(number),
                "assignment_type": assignment_type,
                "weight": weight,
                "drop_count": drop_count,
                "min_count": min_count,
            }


def _section_activity(seed: int, courses: int, videos: int, segments: int, problems: int) -> Iterator[dict]:
    """Learners per section of each outline, and a "(Deleted)" row (NULL section)."""
    for number in range(courses):
        rng = random.Random(f"{seed}-section-activity-{number}")
        chapters = [
            row["block_id"]
            for row in outline_plan(seed, number, videos, segments, problems)
            if row["block_type"] == "chapter"
        ]
        for section in [*chapters, None]:
            viewed = rng.randint(5, 2000) if section else rng.randint(0, 20)
            attempted = viewed * rng.randint(20, 90) // 100
            yield {
                "course_id": course_id(number),
                "section_block_id": section,
                "learners": viewed + rng.randint(0, attempted // 5 + 1),
                "viewed": viewed,
                "attempted_problem": attempted,
            }
