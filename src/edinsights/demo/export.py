"""The simulated courses' structure, exported both ways an Open edX gives it (docs/structure.md).

- `course_structure(course)`: a simulated course as a CourseStructure: chapters and sequentials
  from its units' courseware paths, display names from their places ("Section 2", "Subsection
  2.1", "Unit 2.1.3"), the last subsection of each section graded as Homework (of the last
  section, as the Exam) with a due date, a two-type grading policy and catalog dates. Draws
  nothing from the simulator's random generator: its logs stay the same.
- `write_olx(structure, target)`: an OLX export tarball of any structure (course.xml pointer,
  one file per chapter/sequential/vertical/video, problems inline in their units, values written
  where they are set, policies/<run>/policy.json and grading_policy.json).
- The LMS side is `edinsights.testing.lms.api_documents` / `StandInLms.of_structures` over the
  same structures, with inherited values filled in as the LMS answers them.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import tarfile
from datetime import datetime, time, timedelta
from pathlib import Path
from xml.sax.saxutils import quoteattr

from opaque_keys.edx.keys import CourseKey

from edinsights.demo.structure import Course
from edinsights.structure.model import Block, CourseInfo, CourseStructure, GraderEntry
from edinsights.structure.traversal import block_name, inherit


def course_structure(course: Course) -> CourseStructure:
    """The outline, catalog and grading policy of one simulated course (values where they are set)."""
    key = CourseKey.from_string(course.key)
    assert key.run is not None  # a simulated course key always names its run
    start = datetime.combine(course.start, time(0))
    root_name = key.run if key.deprecated else "course"
    root = str(key.make_usage_key("course", root_name))
    blocks: dict[str, Block] = {root: Block(root, "course", course.display_name, start=start)}
    sequentials_of: dict[str, list[str]] = {}
    for unit in course.units:
        parts = unit.path.rstrip("/").split("/")
        chapter_hex, sequential_hex = parts[-3], parts[-2]
        chapter = str(key.make_usage_key("chapter", chapter_hex))
        sequential = str(key.make_usage_key("sequential", sequential_hex))
        if chapter not in blocks:
            number = len(blocks[root].children) + 1
            blocks[chapter] = Block(chapter, "chapter", f"Section {number}")
            blocks[root].children.append(chapter)
            sequentials_of[chapter] = []
        if sequential not in blocks:
            section = blocks[root].children.index(chapter) + 1
            blocks[sequential] = Block(
                sequential, "sequential", f"Subsection {section}.{len(sequentials_of[chapter]) + 1}"
            )
            blocks[chapter].children.append(sequential)
            sequentials_of[chapter].append(sequential)
        name = blocks[sequential].display_name.replace("Subsection", "Unit")
        blocks[unit.usage_key] = Block(
            unit.usage_key, "vertical", f"{name}.{len(blocks[sequential].children) + 1}"
        )
        blocks[sequential].children.append(unit.usage_key)
        for video in unit.videos:
            blocks[video.usage_key] = Block(video.usage_key, "video", video.display_name)
            blocks[unit.usage_key].children.append(video.usage_key)
        for problem in unit.problems:
            blocks[problem.usage_key] = Block(problem.usage_key, "problem", problem.display_name)
            blocks[unit.usage_key].children.append(problem.usage_key)
    chapters = blocks[root].children
    homework = 0
    for index, chapter in enumerate(chapters):
        graded = blocks[sequentials_of[chapter][-1]]
        graded.graded = True
        graded.format = "Exam" if index == len(chapters) - 1 else "Homework"
        graded.due = start + timedelta(days=7 * (index + 1), hours=23, minutes=59)
        homework += graded.format == "Homework"
    pacing = "self" if int(hashlib.sha256(course.key.encode()).hexdigest(), 16) % 3 == 0 else "instructor"
    info = CourseInfo(
        course_id=course.key,
        name=course.display_name,
        org=key.org,
        number=key.course,
        start_date=start,
        end_date=start + timedelta(days=7 * (len(chapters) + 1)),
        enrollment_start=start - timedelta(days=30),
        enrollment_end=None,
        pacing=pacing,
    )
    policy = [
        GraderEntry("Homework", 0.6, drop_count=1 if homework > 2 else 0, min_count=homework),
        GraderEntry("Exam", 0.4, drop_count=0, min_count=1),
    ]
    return CourseStructure(course=info, root=root, blocks=blocks, grading_policy=policy)


def as_the_lms_answers(structure: CourseStructure) -> CourseStructure:
    """A copy with inherited values filled in (graded, due, start), as the Blocks API gives them."""
    answered = copy.deepcopy(structure)
    inherit(answered)
    return answered


def _date(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _attributes(block: Block) -> str:
    values = {
        "display_name": block.display_name,
        "graded": "true" if block.graded else None,
        "format": block.format,
        "due": _date(block.due),
        "start": _date(block.start) if block.block_type != "course" else None,
    }
    return "".join(f" {name}={quoteattr(value)}" for name, value in values.items() if value is not None)


INLINE_TYPES = frozenset({"problem"})
"""Written inside their unit (an inline definition) rather than as a file of their own."""


def olx_files(structure: CourseStructure, url_name: str) -> dict[str, str]:
    """The files of an OLX export of `structure` (course.xml's url_name `url_name`)."""
    key = CourseKey.from_string(structure.course_id)
    files: dict[str, str] = {
        "course.xml": f"<course url_name={quoteattr(url_name)} org={quoteattr(str(key.org))}"
        f" course={quoteattr(str(key.course))}/>\n"
    }
    for block_id, block in structure.blocks.items():
        name = url_name if block_id == structure.root else block_name(block_id)
        if block.block_type in INLINE_TYPES and block_id != structure.root:
            continue
        lines = [f"<{block.block_type}{_attributes(block)}>"]
        for child_id in block.children:
            child = structure.blocks[child_id]
            if child.block_type in INLINE_TYPES:
                lines.append(
                    f"  <{child.block_type} url_name={quoteattr(block_name(child_id))}{_attributes(child)}>"
                    f"<multiplechoiceresponse/></{child.block_type}>"
                )
            else:
                lines.append(f"  <{child.block_type} url_name={quoteattr(block_name(child_id))}/>")
        lines.append(f"</{block.block_type}>")
        directory = "course" if block_id == structure.root else block.block_type
        files[f"{directory}/{name}.xml"] = "\n".join(lines) + "\n"
    course = structure.course
    catalog = {
        "display_name": course.name,
        "start": _date(course.start_date),
        "end": _date(course.end_date),
        "enrollment_start": _date(course.enrollment_start),
        "enrollment_end": _date(course.enrollment_end),
        "self_paced": course.pacing == "self",
    }
    files[f"policies/{url_name}/policy.json"] = json.dumps(
        {f"course/{url_name}": {k: v for k, v in catalog.items() if v is not None}}, indent=4
    )
    graders = [
        {
            "type": entry.assignment_type,
            "min_count": entry.min_count,
            "drop_count": entry.drop_count,
            "short_label": entry.assignment_type[:2],
            "weight": entry.weight,
        }
        for entry in structure.grading_policy
    ]
    files[f"policies/{url_name}/grading_policy.json"] = json.dumps(
        {"GRADER": graders, "GRADE_CUTOFFS": {"Pass": 0.5}}, indent=4
    )
    return files


def write_olx(structure: CourseStructure, target: Path, url_name: str | None = None) -> Path:
    """`structure` as an OLX export tarball at `target` (files under `course/`, as Studio exports)."""
    key = CourseKey.from_string(structure.course_id)
    run = url_name or key.run or "course"
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(target, "w:gz", compresslevel=1) as archive:
        for name, text in olx_files(structure, run).items():
            data = text.encode()
            info = tarfile.TarInfo(f"course/{name}")
            info.size = len(data)
            info.mtime = 0
            archive.addfile(info, io.BytesIO(data))
    return target


def olx_course_id(structure: CourseStructure) -> str | None:
    """The `--course-id` an import of `write_olx`'s tarball needs (None when course.xml's key is it)."""
    key = CourseKey.from_string(structure.course_id)
    derived = f"course-v1:{key.org}+{key.course}+{key.run}"
    return None if derived == structure.course_id else structure.course_id
