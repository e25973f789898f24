"""Performance: Graded content and Ungraded problems, every drill-down level's numbers against
an independent computation from the `answer_distribution` and `course_structure` rows, the
assignment types against the imported grading policy, "(Deleted)", breadcrumbs, CSV and who
may see each level."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from html import unescape
from typing import Any
from urllib.parse import quote

import pytest

from tests.dashboard.conftest import Dashboard
from tests.dashboard.test_pages import rows

GONE = "block-v1:edX+Gone+2024+type@problem+block@gone"


@pytest.fixture(scope="module")
def staff(dashboard: Dashboard):  # type: ignore[no-untyped-def]
    return dashboard.client("staff")


# ---- The independent computation ---------------------------------------------------------------


def last_submissions(course: str) -> dict[str, tuple[float, float]]:
    """module_id → (correct, incorrect): last submissions summed by the database, per part."""
    from django.db.models import Count, Q, Sum

    from edinsights.families.problems.models import AnswerDistribution

    found = (
        AnswerDistribution.objects.filter(course_id=course)
        .values("module_id")
        .annotate(
            parts=Count("part_id", distinct=True),
            total=Sum("last_response_count"),
            right=Sum("last_response_count", filter=Q(correct=True)),
        )
    )
    return {
        row["module_id"]: (
            (row["right"] or 0) / row["parts"],
            (row["total"] - (row["right"] or 0)) / row["parts"],
        )
        for row in found
    }


def blocks(course: str) -> dict[str, Any]:
    from edinsights.structure.models import CourseBlock

    return {block.block_id: block for block in CourseBlock.objects.filter(course_id=course)}


def ancestor(all_blocks: dict[str, Any], block: Any, kind: str) -> Any:
    while block is not None and block.block_type != kind:
        block = all_blocks.get(block.parent_block_id)
    return block


def problems_in(course: str, graded: bool) -> list[Any]:
    """The outline's problems of that gradedness, in outline order."""
    return sorted(
        (
            block
            for block in blocks(course).values()
            if block.block_type == "problem" and not block.is_orphan and block.graded == graded
        ),
        key=lambda block: block.sort_idx,
    )


def group(problems: list[Any], results: dict[str, tuple[float, float]]) -> dict[str, float | None]:
    figures = [results.get(problem.block_id, (0, 0)) for problem in problems]
    correct = sum(right for right, _wrong in figures)
    incorrect = sum(wrong for _right, wrong in figures)
    count = len(figures) or 1  # no problems: zeros
    return {
        "problems": len(figures),
        "average_correct": correct / count,
        "average_incorrect": incorrect / count,
        "average_submissions": (correct + incorrect) / count,
        "percent_correct": 100 * correct / (correct + incorrect) if correct + incorrect else None,
    }


def by_container(course: str, graded: bool, kind: str) -> dict[str, list[Any]]:
    """Container block (chapter or sequential) → its problems of that gradedness, in outline order."""
    all_blocks = blocks(course)
    found: dict[str, list[Any]] = {}
    for problem in problems_in(course, graded):
        found.setdefault(ancestor(all_blocks, problem, kind).block_id, []).append(problem)
    return found


def assert_figures(row: dict[str, str], expected: dict[str, float | None]) -> None:
    for key, value in expected.items():
        if value is None:
            assert row[key] == "", (key, row)
        else:
            assert float(row[key]) == pytest.approx(value, abs=0.01), (key, row, expected)


def policy(course: str) -> list[tuple[str, float]]:
    from edinsights.structure.models import GradingPolicyEntry

    return [
        (entry.assignment_type, entry.weight)
        for entry in GradingPolicyEntry.objects.filter(course_id=course).order_by("id")
        if entry.weight > 0
    ]


def csv_of(client, url: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return rows(client.get(url + "?format=csv"))


def crumbs(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Breadcrumb" class="breadcrumb">(.*?)</nav>', html, re.S)
    assert nav is not None
    return [unescape(text) for text in re.findall(r"<a [^>]*>([^<]*)</a>", nav.group(1))]


# ---- Graded content ----------------------------------------------------------------------------


def test_assignment_types_and_weights_are_the_imported_policy(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    for course in dashboard.courses:
        base = f"/courses/{course}/performance/graded/"
        landing = csv_of(staff, base)
        assert policy(course), course
        assert [(row["name"], float(row["weight"])) for row in landing] == [
            (name, pytest.approx(weight * 100)) for name, weight in policy(course)
        ]
        html = staff.get(base).content.decode()
        for row in landing:
            label = f"{row['name']}: {float(row['weight']):g}% of the grading policy"
            assert f'<a href="{base}{row["key"]}/"' in html and label in unescape(html)
        # Every graded problem is under its type, with the type's figures.
        results = last_submissions(course)
        all_blocks = blocks(course)
        for row in landing:
            problems = [
                problem
                for problem in problems_in(course, graded=True)
                if ancestor(all_blocks, problem, "sequential").format == row["name"]
            ]
            assert_figures(row, group(problems, results))


def test_each_assignment_and_its_problems_match_the_rows(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    for course in dashboard.courses:
        seen = 0.0
        results = last_submissions(course)
        all_blocks = blocks(course)
        containers = by_container(course, graded=True, kind="sequential")
        for row in csv_of(staff, f"/courses/{course}/performance/graded/"):
            type_url = f"/courses/{course}/performance/graded/{row['key']}/"
            assignments = csv_of(staff, type_url)
            expected = sorted(
                (all_blocks[key] for key in containers if all_blocks[key].format == row["name"]),
                key=lambda block: block.sort_idx,
            )
            assert [(a["order"], a["key"], a["name"]) for a in assignments] == [
                (str(order), block.block_name, block.display_name)
                for order, block in enumerate(expected, start=1)
            ]
            for line, block in zip(assignments, expected, strict=True):
                assert_figures(line, group(containers[block.block_id], results))
                problems = csv_of(staff, f"{type_url}{block.block_name}/")
                assert [p["module_id"] for p in problems] == [p.block_id for p in containers[block.block_id]]
                seen += sum(float(p["total"]) for p in problems)
                for problem, outline_block in zip(problems, containers[block.block_id], strict=True):
                    assert problem["name"] == outline_block.display_name
                    right, wrong = results.get(outline_block.block_id, (0, 0))
                    assert_figures(
                        problem,
                        {
                            "correct": right,
                            "incorrect": wrong,
                            "total": right + wrong,
                            "percent_correct": 100 * right / (right + wrong) if right + wrong else None,
                        },
                    )
        assert seen > 0, course  # the rows do meet the outline


def test_the_assignment_type_page_says_only_last_submissions_count(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    course = dashboard.courses[0]
    key = next(
        row
        for row in csv_of(staff, f"/courses/{course}/performance/graded/")
        if row["average_submissions"] != "0"
    )["key"]
    html = unescape(staff.get(f"/courses/{course}/performance/graded/{key}/").content.decode())
    assert "Only each learner's last submission to a problem counts" in html
    assert "Average submissions per problem" in html and 'data-chart="chart-0"' in html


# ---- Ungraded problems -------------------------------------------------------------------------


def test_ungraded_sections_subsections_and_problems_match_the_rows(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    for course in dashboard.courses:
        seen = 0.0
        results = last_submissions(course)
        all_blocks = blocks(course)
        chapters = by_container(course, graded=False, kind="chapter")
        sequentials = by_container(course, graded=False, kind="sequential")
        base = f"/courses/{course}/performance/ungraded/"
        sections = csv_of(staff, base)
        expected = sorted((all_blocks[key] for key in chapters), key=lambda block: block.sort_idx)
        assert expected, course
        assert [(s["key"], s["name"]) for s in sections] == [(b.block_name, b.display_name) for b in expected]
        for section, chapter in zip(sections, expected, strict=True):
            assert_figures(section, group(chapters[chapter.block_id], results))
            subsections = csv_of(staff, f"{base}{chapter.block_name}/")
            below = sorted(
                (
                    all_blocks[key]
                    for key in sequentials
                    if all_blocks[key].parent_block_id == chapter.block_id
                ),
                key=lambda block: block.sort_idx,
            )
            assert [s["key"] for s in subsections] == [b.block_name for b in below]
            for subsection, sequential in zip(subsections, below, strict=True):
                assert_figures(subsection, group(sequentials[sequential.block_id], results))
                problems = csv_of(staff, f"{base}{chapter.block_name}/{sequential.block_name}/")
                assert [p["module_id"] for p in problems] == [
                    p.block_id for p in sequentials[sequential.block_id]
                ]
                for problem in problems:
                    right, wrong = results.get(problem["module_id"], (0, 0))
                    assert_figures(problem, {"correct": right, "incorrect": wrong, "total": right + wrong})
                    seen += right + wrong
        assert seen > 0, course


# ---- (Deleted), an empty assignment type, breadcrumbs ----------------------------------------------


@pytest.fixture
def gone_problem_and_empty_type(dashboard: Dashboard) -> Iterator[str]:
    """The first course with answers to a problem its outline does not list, and a policy type
    ("Lab", 10 %) that no subsection has."""
    from edinsights.families.problems.models import AnswerDistribution
    from edinsights.structure.models import GradingPolicyEntry

    course = dashboard.courses[0]
    made = datetime(2024, 3, 18, tzinfo=UTC)
    common = {"course_id": course, "module_id": GONE, "part_id": "gone_2_1", "created": made}
    AnswerDistribution.objects.bulk_create(
        [
            AnswerDistribution(
                **common, correct=True, count=5, first_response_count=2, last_response_count=4
            ),
            AnswerDistribution(
                **common, correct=False, count=4, first_response_count=3, last_response_count=1
            ),
        ]
    )
    GradingPolicyEntry.objects.create(
        course_id=course, assignment_type="Lab", weight=0.1, drop_count=0, min_count=1, created=made
    )
    try:
        yield course
    finally:
        AnswerDistribution.objects.filter(module_id=GONE).delete()
        GradingPolicyEntry.objects.filter(course_id=course, assignment_type="Lab").delete()


def test_problems_the_outline_no_longer_lists_are_deleted(gone_problem_and_empty_type: str, staff) -> None:  # type: ignore[no-untyped-def]
    course = gone_problem_and_empty_type
    graded = csv_of(staff, f"/courses/{course}/performance/graded/")
    lab = next(row for row in graded if row["name"] == "Lab")
    assert float(lab["weight"]) == pytest.approx(10)
    assert (lab["assignments"], lab["problems"], lab["average_correct"], lab["percent_correct"]) == (
        "0",
        "0",
        "0",
        "",
    )
    lab_page = staff.get(f"/courses/{course}/performance/graded/{lab['key']}/")
    assert (
        lab_page.status_code == 200
        and "No submissions received for these exercises." in lab_page.content.decode()
    )
    deleted = graded[-1]
    assert (deleted["name"], deleted["key"], deleted["weight"], deleted["problems"]) == (
        "(Deleted)",
        "(deleted)",
        "",
        "1",
    )
    assert_figures(deleted, {"average_correct": 4, "average_incorrect": 1, "percent_correct": 80})
    ungraded = csv_of(staff, f"/courses/{course}/performance/ungraded/")
    assert (ungraded[-1]["name"], ungraded[-1]["problems"]) == ("(Deleted)", "1")
    deleted_url = f"/courses/{course}/performance/ungraded/{quote('(deleted)')}/{quote('(deleted)')}/"
    problems = csv_of(staff, deleted_url)
    assert [(p["module_id"], p["correct"], p["incorrect"], p["total"]) for p in problems] == [
        (GONE, "4", "1", "5")
    ]
    html = staff.get(f"/courses/{course}/performance/problems/{GONE}/").content.decode()
    assert crumbs(html)[2:] == ["Ungraded problems", "(Deleted)", "(Deleted)"]


def test_a_problem_page_has_its_drill_down_trail_and_outline_name(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    course = dashboard.courses[0]
    all_blocks = blocks(course)
    answered = last_submissions(course)
    from django.urls import reverse

    for graded in (True, False):
        problem = next(block for block in problems_in(course, graded) if block.block_id in answered)
        sequential = ancestor(all_blocks, problem, "sequential")
        chapter = ancestor(all_blocks, problem, "chapter")
        response = staff.get(f"/courses/{course}/performance/problems/{problem.block_id}/")
        html = unescape(response.content.decode())
        assert f"<h1>{problem.display_name}</h1>" in html
        if graded:
            expected = ["Graded content", sequential.format, sequential.display_name]
            assert 'aria-current="page">Graded content' in html.replace(
                '<span class="visually-hidden">Performance: </span>', ""
            )
        else:
            expected = ["Ungraded problems", chapter.display_name, sequential.display_name]
        assert crumbs(html)[2:] == expected
        # Each crumb's link opens its level, which links back down to the problem.
        below = re.findall(r'<nav aria-label="Breadcrumb" class="breadcrumb">.*?</nav>', html, re.S)[0]
        last = re.findall(r'<a href="([^"]+)"', below)[-1]
        assert (
            f'href="{reverse("dashboard:problem", args=[course, problem.block_id])}"'
            in staff.get(last).content.decode()
        )


def test_level_pages_have_trails(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    course = dashboard.courses[0]
    kind = next(
        row for row in csv_of(staff, f"/courses/{course}/performance/graded/") if row["assignments"] != "0"
    )
    assignment = csv_of(staff, f"/courses/{course}/performance/graded/{kind['key']}/")[0]
    html = staff.get(
        f"/courses/{course}/performance/graded/{kind['key']}/{assignment['key']}/"
    ).content.decode()
    assert crumbs(html)[2:] == ["Graded content", kind["name"]]
    section = csv_of(staff, f"/courses/{course}/performance/ungraded/")[0]
    subsection = csv_of(staff, f"/courses/{course}/performance/ungraded/{section['key']}/")[0]
    html = staff.get(
        f"/courses/{course}/performance/ungraded/{section['key']}/{subsection['key']}/"
    ).content.decode()
    assert crumbs(html)[2:] == ["Ungraded problems", section["name"]]


# ---- Who sees each level -----------------------------------------------------------------------


def levels(staff, course: str) -> list[str]:  # type: ignore[no-untyped-def]
    """One URL of every drill-down level of `course` (the first item of each; the first type
    that has assignments)."""
    base = f"/courses/{course}/performance/"
    kind = next(row for row in csv_of(staff, base + "graded/") if row["assignments"] != "0")["key"]
    assignment = csv_of(staff, f"{base}graded/{kind}/")[0]["key"]
    section = csv_of(staff, base + "ungraded/")[0]["key"]
    subsection = csv_of(staff, f"{base}ungraded/{section}/")[0]["key"]
    return [
        base + "graded/",
        f"{base}graded/{kind}/",
        f"{base}graded/{kind}/{assignment}/",
        base + "ungraded/",
        f"{base}ungraded/{section}/",
        f"{base}ungraded/{section}/{subsection}/",
    ]


def test_each_level_is_seen_only_by_who_may_read_the_course(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    granted, other = dashboard.courses[0], dashboard.courses[1]
    client, nobody = dashboard.client("granted"), dashboard.client("nobody")
    for url in levels(staff, granted):
        assert client.get(url).status_code == 200, url
        assert client.get(url + "?format=csv").status_code == 200, url
        for suffix in ("", "?format=csv"):
            assert nobody.get(url + suffix).status_code == 404, url
    for url in levels(staff, other):
        assert staff.get(url).status_code == 200, url
        for suffix in ("", "?format=csv"):
            assert client.get(url + suffix).status_code == 404, url
            assert nobody.get(url + suffix).status_code == 404, url


def test_unknown_keys_at_each_level_are_404(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    course = dashboard.courses[0]
    graded, kind, assignment, ungraded, section, subsection = levels(staff, course)
    other_course = levels(staff, dashboard.courses[1])
    for url in (
        graded + "no-such-type/",
        kind + "no-such-assignment/",
        # An assignment of another type, a subsection of another section, another course's keys.
        kind.replace(kind.rstrip("/").rsplit("/", 1)[1], "(deleted)")
        + assignment.rstrip("/").rsplit("/", 1)[1]
        + "/",
        ungraded + "no-such-section/",
        section + "no-such-subsection/",
        ungraded + "(deleted)/" + subsection.rstrip("/").rsplit("/", 1)[1] + "/",
        other_course[5].replace(dashboard.courses[1], course, 1),
    ):
        assert staff.get(url).status_code == 404, url
        assert staff.get(url + "?format=csv").status_code == 404, url


# ---- Without structure; authors' text ------------------------------------------------------------


@pytest.fixture
def course_without_structure() -> Iterator[str]:
    """A course with answers to one problem and no imported structure."""
    from edinsights.families.problems.models import AnswerDistribution, ProblemSummary

    course = "course-v1:edX+Bare+2024"
    made = datetime(2024, 3, 18, tzinfo=UTC)
    module = "block-v1:edX+Bare+2024+type@problem+block@only"
    ProblemSummary.objects.create(
        course_id=course,
        module_id=module,
        total_submissions=3,
        correct_submissions=2,
        users=3,
        users_correct=2,
        created=made,
    )
    AnswerDistribution.objects.create(
        course_id=course, module_id=module, part_id="only_2_1", correct=True, count=3,
        first_response_count=3, last_response_count=3, problem_display_name="Only", created=made,
    )  # fmt: skip
    try:
        yield course
    finally:
        AnswerDistribution.objects.filter(course_id=course).delete()
        ProblemSummary.objects.filter(course_id=course).delete()


def test_without_structure_graded_content_says_so_and_problems_stay_under_problems(
    course_without_structure: str, staff
) -> None:  # type: ignore[no-untyped-def]
    course = course_without_structure
    html = unescape(staff.get(f"/courses/{course}/performance/graded/").content.decode())
    assert "No grading policy for this course yet" in html
    assert staff.get(f"/courses/{course}/performance/graded/{quote('(deleted)')}/").status_code == 404
    ungraded = csv_of(staff, f"/courses/{course}/performance/ungraded/")
    assert [(row["name"], row["problems"], row["average_correct"]) for row in ungraded] == [
        ("(Deleted)", "1", "3")
    ]
    page = unescape(
        staff.get(
            f"/courses/{course}/performance/problems/block-v1:edX+Bare+2024+type@problem+block@only/"
        ).content.decode()
    )
    assert "<h1>Only</h1>" in page and crumbs(page)[2:] == ["Problems"]


@pytest.fixture
def hostile_names(dashboard: Dashboard) -> Iterator[tuple[str, str]]:
    """The first course with a section named and a policy type named as markup."""
    from edinsights.structure.models import CourseBlock, GradingPolicyEntry

    course = dashboard.courses[0]
    section = CourseBlock.objects.filter(course_id=course, block_type="chapter").order_by("sort_idx").first()
    entry = GradingPolicyEntry.objects.filter(course_id=course, weight__gt=0).order_by("id").first()
    assert section is not None and entry is not None
    names = (section.display_name, entry.assignment_type)
    evil = '<img src=x onerror="alert(1)">'
    CourseBlock.objects.filter(pk=section.pk).update(display_name=evil)
    GradingPolicyEntry.objects.filter(pk=entry.pk).update(assignment_type=f"<b>{names[1]}</b>")
    try:
        yield course, evil
    finally:
        CourseBlock.objects.filter(pk=section.pk).update(display_name=names[0])
        GradingPolicyEntry.objects.filter(pk=entry.pk).update(assignment_type=names[1])


def test_authors_names_are_text(hostile_names: tuple[str, str], staff) -> None:  # type: ignore[no-untyped-def]
    course, evil = hostile_names
    graded = staff.get(f"/courses/{course}/performance/graded/").content.decode()
    assert "<b>" not in graded and "&lt;b&gt;" in graded
    kind = csv_of(staff, f"/courses/{course}/performance/graded/")[0]
    assert kind["name"].startswith("<b>")  # the CSV holds the name as authored
    assert "<b>" not in staff.get(f"/courses/{course}/performance/graded/{kind['key']}/").content.decode()
    ungraded = staff.get(f"/courses/{course}/performance/ungraded/").content.decode()
    assert evil not in ungraded and "&lt;img src=x" in ungraded
    section = csv_of(staff, f"/courses/{course}/performance/ungraded/")[0]
    assert section["name"] == evil
    below = staff.get(f"/courses/{course}/performance/ungraded/{section['key']}/").content.decode()
    assert evil not in below and "&lt;img src=x" in below  # the title and the breadcrumb
