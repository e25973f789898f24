"""Performance > Learning outcomes and Engagement > Content by section, level by level.

Numbers are checked against the result rows they come from (tags_distribution, section_activity)
recomputed here, and names against the published outline (course_structure) walked up by hand;
each level is isolated per course; outcome values, author text, survive any characters in URLs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from html import unescape

import pytest

from tests.dashboard.conftest import Dashboard
from tests.dashboard.test_pages import rows

OUTCOME_TAGS = {"learning_outcome", "learning_outcome_tag"}
DIFFICULTY_TAGS = {"difficulty", "difficulty_tag"}
HOSTILE = [
    "a/b",
    "..",
    "../../admin",
    "<script>alert(1)</script>",
    "Ünïcødé ✓ 学习",
    "50% & more",
    "?x=1#frag",
    " spaced ",
    "back\\slash",
    ".",
]


@pytest.fixture(scope="module")
def staff(dashboard: Dashboard):  # type: ignore[no-untyped-def]
    return dashboard.client("staff")


def outcome_url(course: str, value: str) -> str:
    from edinsights.dashboard.pages import course_url

    return course_url("outcome", course, value)


def expected_outcomes(course: str) -> dict[str, dict[str, float]]:
    """Per outcome, from the raw tags_distribution rows: problems, submissions, correct."""
    from edinsights.families.problems.models import TagsDistribution

    totals: dict[str, tuple[int, int]] = {}
    tagged: dict[str, set[str]] = defaultdict(set)
    for row in TagsDistribution.objects.filter(course_id=course):
        totals[row.module_id] = (row.total_submissions, row.correct_submissions)
        if row.tag_name in OUTCOME_TAGS and row.tag_value.strip():
            tagged[row.tag_value].add(row.module_id)
    result = {}
    for value, problems in tagged.items():
        total = sum(totals[problem][0] for problem in problems)
        correct = sum(totals[problem][1] for problem in problems)
        result[value] = {"problems": len(problems), "total": total, "correct": correct}
    return result


def outline_name(course: str, module_id: str) -> str | None:
    """'Section, Subsection, Problem' by walking up the published outline; None when not placed."""
    from edinsights.structure.models import CourseBlock

    blocks = {block.block_id: block for block in CourseBlock.objects.filter(course_id=course)}
    block = next(
        (b for b in blocks.values() if b.block_name == module_id.rsplit("@", 1)[-1].rsplit("/", 1)[-1]), None
    )
    if block is None or block.is_orphan:
        return None
    names = {block.block_type: block.display_name}
    parent = blocks.get(block.parent_block_id or "")
    while parent is not None:
        names.setdefault(parent.block_type, parent.display_name)
        parent = blocks.get(parent.parent_block_id or "")
    return f"{names['chapter']}, {names['sequential']}, {block.display_name}"


def test_outcomes_page_equals_the_tag_rows(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    seen = 0
    for course in dashboard.courses:
        expected = expected_outcomes(course)
        page = rows(staff.get(f"/courses/{course}/performance/outcomes/?format=csv"))
        assert [row["outcome"] for row in page] == sorted(expected)
        for order, row in enumerate(page, start=1):
            want = expected[row["outcome"]]
            assert int(row["order"]) == order
            assert int(row["problems"]) == want["problems"]
            assert int(row["total_submissions"]) == want["total"]
            assert int(row["correct_submissions"]) == want["correct"]
            assert float(row["average_correct"]) == pytest.approx(
                want["correct"] / want["problems"], abs=0.06
            )
            incorrect = (want["total"] - want["correct"]) / want["problems"]
            assert float(row["average_incorrect"]) == pytest.approx(incorrect, abs=0.06)
            assert float(row["average_submissions"]) == pytest.approx(
                want["total"] / want["problems"], abs=0.06
            )
            assert float(row["percent_correct"]) == pytest.approx(
                100 * want["correct"] / want["total"], abs=1e-3
            )
        seen += len(page)
        html = staff.get(f"/courses/{course}/performance/outcomes/").content.decode()
        if expected:
            assert 'data-chart="chart-0"' in html and "Average correct" in html
            assert {
                unescape(link) for link in re.findall(r'href="([^"]*/performance/outcomes/[^"?]+/)"', html)
            } == {outcome_url(course, value) for value in expected}
    assert seen >= 4  # the simulator tags a third of its problems with LO1…LO4


def test_outcome_page_lists_its_problems_by_their_place(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    from edinsights.dashboard.pages import course_url
    from edinsights.families.problems.models import TagsDistribution

    checked = 0
    for course in dashboard.courses:
        rows_of = TagsDistribution.objects.filter(course_id=course)
        for value in sorted(expected_outcomes(course))[:2]:
            problems = {
                row.module_id for row in rows_of if row.tag_name in OUTCOME_TAGS and row.tag_value == value
            }
            page = rows(staff.get(outcome_url(course, value) + "?format=csv"))
            assert {row["module_id"] for row in page} == problems
            for row in page:
                mine = [r for r in rows_of if r.module_id == row["module_id"]]
                assert int(row["total_submissions"]) == mine[0].total_submissions
                assert int(row["correct_submissions"]) == mine[0].correct_submissions
                assert (
                    int(row["incorrect_submissions"])
                    == mine[0].total_submissions - mine[0].correct_submissions
                )
                difficulty = sorted({r.tag_value for r in mine if r.tag_name in DIFFICULTY_TAGS})
                assert row["difficulty"] == ", ".join(difficulty)
                assert row["problem"] == outline_name(course, row["module_id"])
                checked += 1
            # Course order: by the outline's pre-order position.
            html = staff.get(outcome_url(course, value)).content.decode()
            assert "Learning outcome: " + value in unescape(html)
            for row in page:
                link = course_url("problem", course, row["module_id"])
                assert f'href="{link}"' in html
            assert staff.get(course_url("problem", course, page[0]["module_id"])).status_code == 200
            # Breadcrumbs: Courses > course > Learning outcomes.
            assert re.search(
                r'<li><a href="[^"]*/performance/outcomes/">Learning outcomes</a></li>\s*</ol>', html
            )
    assert checked >= 4


@pytest.fixture
def extra_tags(dashboard: Dashboard) -> Iterator[tuple[str, str, str]]:
    """Hostile outcome values on a real problem of the first course, and one outcome whose only
    problem is no block of the outline; removed afterwards."""
    from edinsights.families.problems.models import ProblemSummary, TagsDistribution

    course = dashboard.courses[0]
    problem = ProblemSummary.objects.filter(course_id=course).order_by("module_id").first()
    assert problem is not None
    base, separator, _name = problem.module_id.rpartition("@" if "@" in problem.module_id else "/")
    gone = base + separator + "9" * 32
    created = datetime(2024, 3, 18, tzinfo=UTC)
    made = [
        TagsDistribution.objects.create(
            course_id=course,
            module_id=problem.module_id,
            tag_name="learning_outcome",
            tag_value=value,
            total_submissions=problem.total_submissions,
            correct_submissions=problem.correct_submissions,
            created=created,
        )
        for value in HOSTILE
    ]
    for tag_name, value in (("learning_outcome", "Deleted only"), ("difficulty", "hard")):
        made.append(
            TagsDistribution.objects.create(
                course_id=course,
                module_id=gone,
                tag_name=tag_name,
                tag_value=value,
                total_submissions=7,
                correct_submissions=2,
                created=created,
            )
        )
    try:
        yield course, problem.module_id, gone
    finally:
        TagsDistribution.objects.filter(pk__in=[row.pk for row in made]).delete()


def test_hostile_outcome_values_round_trip(dashboard: Dashboard, staff, extra_tags) -> None:  # type: ignore[no-untyped-def]
    course, module_id, _gone = extra_tags
    listing = staff.get(f"/courses/{course}/performance/outcomes/").content.decode()
    assert "<script>alert(1)</script>" not in listing
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    hrefs = [unescape(link) for link in re.findall(r'href="([^"]*/performance/outcomes/[^"?]+/)"', listing)]
    for value in HOSTILE:
        url = outcome_url(course, value)
        assert url in hrefs, value
        # One path segment, no dot segment, nothing a browser or proxy would rewrite.
        segment = url.removesuffix("/").rsplit("/", 1)[1]
        assert "/" not in segment and "." not in segment and "?" not in segment and "#" not in segment
        response = staff.get(url)
        html = response.content.decode()
        assert response.status_code == 200, value
        assert "<script>alert" not in html
        title = re.search(r"<h1>(.*?)</h1>", html, re.S)
        assert title is not None and unescape(title.group(1)) == f"Learning outcome: {value}"
        page = rows(staff.get(url + "?format=csv"))
        assert [row["module_id"] for row in page] == [module_id]
    csv = rows(staff.get(f"/courses/{course}/performance/outcomes/?format=csv"))
    assert set(HOSTILE) <= {row["outcome"] for row in csv}


def test_a_problem_the_outline_does_not_place_is_deleted(dashboard: Dashboard, staff, extra_tags) -> None:  # type: ignore[no-untyped-def]
    course, _module_id, gone = extra_tags
    page = rows(staff.get(outcome_url(course, "Deleted only") + "?format=csv"))
    assert page == [
        {
            "order": "1",
            "problem": f"(Deleted), {'9' * 32}",
            "module_id": gone,
            "difficulty": "hard",
            "correct_submissions": "2",
            "incorrect_submissions": "5",
            "total_submissions": "7",
            "percent_correct": str(round(100 * 2 / 7, 4)),
        }
    ]


def test_outcome_levels_are_isolated_per_course(dashboard: Dashboard) -> None:
    from edinsights.families.problems.models import TagsDistribution

    granted, *others = dashboard.courses
    client, nobody = dashboard.client("granted"), dashboard.client("nobody")
    value_of = {
        course: TagsDistribution.objects.filter(course_id=course, tag_name__in=OUTCOME_TAGS)
        .order_by("tag_value")
        .values_list("tag_value", flat=True)
        .first()
        for course in dashboard.courses
    }
    assert all(value_of.values())
    levels = {
        course: [f"/courses/{course}/performance/outcomes/", outcome_url(course, value_of[course])]
        for course in dashboard.courses
    }
    for url in levels[granted]:
        assert client.get(url).status_code == 200, url
        assert rows(client.get(url + "?format=csv"))
        assert nobody.get(url).status_code == 404
        assert nobody.get(url + "?format=csv").status_code == 404
    for course in others:
        for url in levels[course]:
            for suffix in ("", "?format=csv"):
                assert client.get(url + suffix).status_code == 404, url
                assert nobody.get(url + suffix).status_code == 404, url
        # Another course's outcome named under the granted course is only that course's (or none).
        assert client.get(outcome_url(granted, "no such outcome")).status_code == 404
    assert client.get(outcome_url(granted, "no such outcome") + "?format=csv").status_code == 404
    assert client.get(outcome_url(granted, "  ")).status_code == 404


# ---- Engagement > Content by section ---------------------------------------------------------


def sections_url(course: str) -> str:
    return f"/courses/{course}/engagement/content/sections/"


def test_sections_page_equals_the_section_rows(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    from edinsights.families.activity.models import SectionActivity
    from edinsights.structure.models import CourseBlock

    for course in dashboard.courses:
        stored = {row.section_block_id: row for row in SectionActivity.objects.filter(course_id=course)}
        chapters = list(
            CourseBlock.objects.filter(course_id=course, block_type="chapter", is_orphan=False).order_by(
                "sort_idx"
            )
        )
        assert len(chapters) >= 4
        page = rows(staff.get(sections_url(course) + "?format=csv"))
        assert [row["section"] for row in page] == [chapter.display_name for chapter in chapters] + (
            ["(Deleted)"] if None in stored else []
        )
        for row, chapter in zip(page, chapters, strict=False):
            mine = stored[chapter.block_id]
            assert (int(row["learners"]), int(row["viewed"]), int(row["attempted_problem"])) == (
                mine.learners,
                mine.viewed,
                mine.attempted_problem,
            )
            assert mine.viewed <= mine.learners and mine.attempted_problem <= mine.learners
        assert sum(int(row["learners"]) > 0 for row in page) >= 2
        html = staff.get(sections_url(course)).content.decode()
        assert 'data-chart="chart-0"' in html
        assert re.search(r'<li><a href="[^"]*/engagement/content/">Content engagement</a></li>\s*</ol>', html)
        # The Content page leads there.
        content = staff.get(f"/courses/{course}/engagement/content/").content.decode()
        assert f'href="{sections_url(course)}"' in content


@pytest.fixture
def deleted_section_row(dashboard: Dashboard) -> Iterator[str]:
    from edinsights.families.activity.models import SectionActivity

    course = dashboard.courses[1]
    row = SectionActivity.objects.create(
        course_id=course,
        section_block_id=None,
        learners=9,
        viewed=8,
        attempted_problem=3,
        created=datetime(2024, 3, 18, tzinfo=UTC),
    )
    try:
        yield course
    finally:
        row.delete()


def test_activity_off_the_outline_is_a_deleted_row(dashboard: Dashboard, staff, deleted_section_row) -> None:  # type: ignore[no-untyped-def]
    page = rows(staff.get(sections_url(deleted_section_row) + "?format=csv"))
    last = page[-1]
    assert (last["section"], last["learners"], last["viewed"], last["attempted_problem"]) == (
        "(Deleted)",
        "9",
        "8",
        "3",
    )
    assert int(last["order"]) == len(page)


def test_sections_page_is_isolated_per_course(dashboard: Dashboard) -> None:
    granted, *others = dashboard.courses
    client, nobody = dashboard.client("granted"), dashboard.client("nobody")
    assert client.get(sections_url(granted)).status_code == 200
    assert rows(client.get(sections_url(granted) + "?format=csv"))
    for course in dashboard.courses:
        assert nobody.get(sections_url(course)).status_code == 404
    for course in others:
        for suffix in ("", "?format=csv"):
            assert client.get(sections_url(course) + suffix).status_code == 404


def test_a_course_without_an_outline_explains_the_import(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment
    from tests.dashboard.conftest import summary_row

    course = "course-v1:edX+NoOutline+2024"
    summary_row(course, "audit", 2).save()
    try:
        for url in (sections_url(course), f"/courses/{course}/performance/outcomes/"):
            html = staff.get(url).content.decode()
            assert "Nothing to show yet" in html and "<table" not in html
            assert rows(staff.get(url + "?format=csv")) == []
        assert "edinsights import structure" in staff.get(sections_url(course)).content.decode()
    finally:
        CourseMetaSummaryEnrollment.objects.filter(course_id=course).delete()
