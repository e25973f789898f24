"""`section_activity`: learners who viewed / tried something in each section of the imported outline.

Two checks: a table of hand-made events (each id form, the "(Deleted)" row, courses without an
outline) on every result-store backend; and the simulated courses, where the metric's numbers
must equal an independent computation in Python over the stored events (ids matched with the
structure's BlockIndex, sections found by walking up the stored outline).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from edinsights.config import Settings
from edinsights.engine.duckdb_engine import connect, run
from edinsights.events.store import EventStore
from edinsights.metrics.registry import metrics
from edinsights.structure.ids import BlockIndex
from edinsights.structure.model import Block, CourseInfo, CourseStructure
from edinsights.structure.storage import StructureStore, import_structures
from tests.conftest import event_line, published, run_ingest, stored_events, write_log

COURSE = "course-v1:T+Sections+2024"
OLD = "T/Old/2024"
UNSTRUCTURED = "course-v1:T+Nothing+2024"
A, B = "aaaa0000aaaa0000aaaa0000aaaa0000", "chapter_b"
VIDEO_HEX = "0123456789abcdef0123456789abcdef"


def key(block_type: str, name: str, course: str = COURSE) -> str:
    if course == OLD:
        return f"i4x://T/Old/{block_type}/{name}"
    return f"block-v1:{course.removeprefix('course-v1:')}+type@{block_type}+block@{name}"


def structure(course: str = COURSE) -> CourseStructure:
    """Two sections (A: a problem; B: a video), an orphan problem and a block under the root."""
    root = key("course", "course" if course != OLD else "2024", course)
    blocks = {
        root: Block(root, "course", "Course", [key("chapter", A, course), key("chapter", B, course)]),
        key("chapter", A, course): Block(
            key("chapter", A, course), "chapter", "Section A", [key("sequential", "sa", course)]
        ),
        key("sequential", "sa", course): Block(
            key("sequential", "sa", course), "sequential", "Sub A", [key("vertical", "va", course)]
        ),
        key("vertical", "va", course): Block(
            key("vertical", "va", course), "vertical", "Unit A", [key("problem", "pa", course)]
        ),
        key("problem", "pa", course): Block(key("problem", "pa", course), "problem", "Problem A"),
        key("chapter", B, course): Block(
            key("chapter", B, course), "chapter", "Section B", [key("sequential", "sb", course)]
        ),
        key("sequential", "sb", course): Block(
            key("sequential", "sb", course), "sequential", "Sub B", [key("vertical", "vb", course)]
        ),
        key("vertical", "vb", course): Block(
            key("vertical", "vb", course), "vertical", "Unit B", [key("video", VIDEO_HEX, course)]
        ),
        key("video", VIDEO_HEX, course): Block(key("video", VIDEO_HEX, course), "video", "Video B"),
        key("problem", "orphan", course): Block(key("problem", "orphan", course), "problem", "Orphan"),
    }
    return CourseStructure(CourseInfo(course), root, blocks)


def line(user: int | None, course: str = COURSE, minute: int = 0, **fields: object) -> str:
    context: dict = {"course_id": course, "user_id": user, "path": "/x"}
    context.update(fields.pop("context", {}))  # type: ignore[arg-type]
    return event_line(time=f"2024-01-04T10:{minute:02d}:00Z", context=context, **fields)


def page_view(user: int, chapter: str, course: str = COURSE) -> str:
    path = f"/courses/{course}/courseware/{chapter}/s/1/"
    return line(user, course, event_type=path, context={"path": path})


def video(user: int, video_id: str, course: str = COURSE, event_type: str = "play_video") -> str:
    return line(
        user, course, event_type=event_type, event_source="browser", event={"id": video_id, "currentTime": 0}
    )


def attempt(user: int, problem_id: str, course: str = COURSE, module: bool = True) -> str:
    context = {"module": {"usage_key": problem_id, "display_name": "P"}} if module else {}
    return line(
        user,
        course,
        event_type="problem_check",
        event={"problem_id": problem_id, "success": "correct", "answers": {}},
        context=context,
    )


LINES = [
    page_view(1, A),  # viewed A
    page_view(1, A.upper()),  # the same learner again, the id upper-cased
    video(2, VIDEO_HEX.upper()),  # the player's bare id, upper-cased: viewed B
    video(3, key("video", VIDEO_HEX), event_type="pause_video"),  # a mobile usage key: viewed B
    attempt(4, key("problem", "pa")),  # tried A (and, by its context.module, viewed A)
    attempt(5, key("problem", "pa"), module=False),  # tried A only
    attempt(6, key("problem", "orphan")),  # an orphan: "(Deleted)", viewed and tried
    video(7, "ffffffffffffffffffffffffffffffff"),  # a video the outline does not list: "(Deleted)"
    page_view(8, "gone_chapter"),  # a section deleted since: "(Deleted)"
    video(None, VIDEO_HEX),  # signed out: nobody
    # The old-style course: i4x locations, the dashed form old browsers sent, a courseware URL.
    video(1, f"i4x-T-Old-video-{VIDEO_HEX}", OLD),
    attempt(2, key("problem", "pa", OLD), OLD),
    page_view(3, B, OLD),
    # A course without an imported outline has no rows at all.
    page_view(1, A, UNSTRUCTURED),
    attempt(2, key("problem", "pa", UNSTRUCTURED), UNSTRUCTURED),
]

EXPECTED = [
    # course, section, learners, viewed, attempted_problem
    (COURSE, key("chapter", A), 3, 2, 2),
    (COURSE, key("chapter", B), 2, 2, 0),
    (COURSE, None, 3, 3, 1),
    (OLD, key("chapter", A, OLD), 1, 1, 1),
    (OLD, key("chapter", B, OLD), 2, 2, 0),
]


def test_sections_from_each_id_form(tmp_path: Path, result_db: str) -> None:
    import_structures(
        StructureStore(Settings.load(tmp_path / "home").store_path), [structure(), structure(OLD)]
    )
    rows = published(tmp_path, LINES, "section_activity", result_db)
    got = [
        (row["course_id"], row["section_block_id"], row["learners"], row["viewed"], row["attempted_problem"])
        for row in rows
    ]
    assert sorted(got, key=repr) == sorted(EXPECTED, key=repr)


def test_a_section_nobody_visited_has_a_zero_row(tmp_path: Path, django_home) -> None:  # type: ignore[no-untyped-def]
    store = EventStore(Settings.load(tmp_path / "home").store_path)
    import_structures(StructureStore(store.root), [structure()])
    run_ingest(store, write_log(tmp_path / "t.log", [page_view(1, A)]))
    metric = metrics()["section_activity"]
    rows = run(connect(store), metric, date(2024, 1, 31))
    assert sorted(rows, key=repr) == sorted(
        [(COURSE, key("chapter", A), 1, 1, 0), (COURSE, key("chapter", B), 0, 0, 0)], key=repr
    )


# ---- the simulated courses ------------------------------------------------------------------


def expected_from_events(store: EventStore) -> dict[tuple[str, str | None], tuple[int, int, int]]:
    """The metric's numbers computed in Python: every stored event of a signed-in learner that
    names a block (video id, problem id of an attempt, context.module, a courseware URL), the
    block found with BlockIndex, its section by walking up the parents."""
    structures = StructureStore(store.root)
    indexes, parents, types = {}, {}, {}
    for course in structures.course_ids():
        blocks = structures.blocks(course)
        indexes[course] = BlockIndex(blocks)
        parents[course] = {row["block_id"]: row["parent_block_id"] for row in blocks}
        types[course] = {row["block_id"]: row["block_type"] for row in blocks}

    def section(course: str, raw: str) -> str | None:
        found = indexes[course].find(raw)
        block = found["block_id"] if found else None
        while block is not None and types[course][block] != "chapter":
            block = parents[course][block]
        return block

    viewed: dict[tuple[str, str | None], set[int]] = defaultdict(set)
    attempted: dict[tuple[str, str | None], set[int]] = defaultdict(set)
    video_types = {"play_video", "pause_video", "seek_video", "stop_video"}
    video_types |= {"edx.video.played", "edx.video.paused", "edx.video.position.changed", "edx.video.stopped"}
    for event in stored_events(store, "user_id IS NOT NULL AND course_id IS NOT NULL"):
        course, user = event["course_id"], event["user_id"]
        if course not in indexes:
            continue
        if event["event_type"] in video_types and event["video_id"]:
            viewed[(course, section(course, event["video_id"]))].add(user)
        if event["module_id"] and event["event_source"] in ("server", "browser", "mobile"):
            viewed[(course, section(course, event["module_id"]))].add(user)
        if event["event_source"] == "server" and "/courseware/" in event["event_type"]:
            chapter = event["event_type"].split("/courseware/")[1].split("/")[0]
            viewed[(course, section(course, chapter))].add(user)
        if event["event_source"] == "server" and event["event_type"] == "problem_check":
            attempted[(course, section(course, event["problem_id"]))].add(user)
    expected = {}
    for course in indexes:
        for row in structures.blocks(course):
            if row["block_type"] == "chapter" and not row["is_orphan"]:
                expected[(course, row["block_id"])] = (0, 0, 0)
    for place in set(viewed) | set(attempted):
        expected[place] = (len(viewed[place] | attempted[place]), len(viewed[place]), len(attempted[place]))
    return expected


@pytest.fixture(scope="module")
def simulated_store(simulated_logs, tmp_path_factory, django_home) -> EventStore:  # type: ignore[no-untyped-def]
    from edinsights.demo.dataset import import_structure_exports

    logs, _courses = simulated_logs
    store = EventStore(Settings.load(tmp_path_factory.mktemp("sections") / "home").store_path)
    run_ingest(store, *sorted(Path(logs).iterdir()))
    import_structure_exports(store.root, Path(logs).parent)
    return store


def test_simulated_sections_equal_a_count_over_the_stored_events(simulated_store: EventStore) -> None:
    metric = metrics()["section_activity"]
    rows = run(connect(simulated_store), metric, date(2100, 1, 1))
    got = {(course, section): (learners, viewed, tried) for course, section, learners, viewed, tried in rows}
    expected = expected_from_events(simulated_store)
    assert got == expected
    # Every simulated course has an outline with several sections that learners visited.
    courses = {course for course, _section in got}
    assert len(courses) == 3
    for course in courses:
        visited = [
            values for (where, section), values in got.items() if where == course and section and values[0]
        ]
        assert len(visited) >= 3, course
    # Nothing the simulator logs falls outside its outline.
    assert all(section is not None for _course, section in got)
    assert json.dumps(sorted(map(list, got)))  # plain values, no Decimal or NaN
