"""Learning outcomes and Content by section in Chromium, on demo data: every level draws its chart
with data points and passes axe-core and the CSP; the tables hold the Data API's numbers (the
outcomes) or the result store's rows (the sections); hostile outcome values open their own page
when clicked (Chromium resolves `..` segments and would act on `?` and `#`)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import DemoHome
from tests.browser.test_dashboard import api, check, table

pytestmark = pytest.mark.browser

OUTCOME_TAGS = ("learning_outcome", "learning_outcome_tag")
HOSTILE = ["a/b", "..", "../../admin", "<script>alert(1)</script>", "Ünïcødé ✓", "50% & more", "?x=1#y"]


def number(text: str) -> float:
    return float(text.replace(",", "").replace("%", "").strip())


def api_outcomes(page: Page, course: str) -> dict[str, dict[str, float]]:
    """Per outcome from the Data API's problems_and_tags/: problems, submissions, correct."""
    outcomes: dict[str, set[str]] = defaultdict(set)
    totals = {}
    for problem in api(page, f"courses/{course}/problems_and_tags/"):  # type: ignore[union-attr]
        totals[problem["module_id"]] = (problem["total_submissions"], problem["correct_submissions"])
        for name in OUTCOME_TAGS:
            for value in problem["tags"].get(name, []):
                outcomes[value].add(problem["module_id"])
    return {
        value: {
            "problems": len(problems),
            "total": sum(totals[p][0] for p in problems),
            "correct": sum(totals[p][1] for p in problems),
        }
        for value, problems in outcomes.items()
    }


def test_outcome_levels(page: Page, demo_home: DemoHome) -> None:
    for course in demo_home.courses:
        url = f"/courses/{course}/performance/outcomes/"
        check(page, url)
        expected = api_outcomes(page, course)
        shown = table(page)
        assert [row[1] for row in shown] == sorted(expected)
        for order, name, average_correct, average_incorrect, average_submissions, correct in shown:
            want = expected[name]
            assert int(order) >= 1
            assert number(average_correct) == pytest.approx(want["correct"] / want["problems"], abs=0.06)
            incorrect = (want["total"] - want["correct"]) / want["problems"]
            assert number(average_incorrect) == pytest.approx(incorrect, abs=0.06)
            assert number(average_submissions) == pytest.approx(want["total"] / want["problems"], abs=0.06)
            # Shown with one decimal, cut rather than rounded (django's number_format).
            assert number(correct) == pytest.approx(100 * want["correct"] / want["total"], abs=0.1)
        # An outcome's page, through its link: its problems, each a link to its answers.
        first = shown[0][1]
        with page.expect_navigation():
            page.locator("table.data tbody tr").first.get_by_role("link").click()
        outcome_url = page.url.removeprefix(page.url.split("/courses/")[0])
        check(page, outcome_url)
        assert page.locator("h1").inner_text() == f"Learning outcome: {first}"
        problems = table(page)
        assert len(problems) == expected[first]["problems"]
        assert all(row[1].count(", ") >= 1 for row in problems)
        assert (
            page.get_by_role("navigation", name="Breadcrumb")
            .get_by_role("link", name="Learning outcomes")
            .count()
        )
        with page.expect_navigation():
            page.locator("table.data tbody tr").first.get_by_role("link").click()
        assert page.get_by_role("heading", level=1).inner_text()
        assert "/performance/problems/" in page.url


def section_rows(demo_home: DemoHome, course: str) -> list[tuple[str, int, int, int]]:
    """(section name, learners, viewed, tried) from the result store, in outline order."""
    with sqlite3.connect(demo_home.home / "results.sqlite3") as connection:
        names = connection.execute(
            "SELECT block_id, display_name FROM course_structure"
            " WHERE course_id = ? AND block_type = 'chapter' AND NOT is_orphan ORDER BY sort_idx",
            (course,),
        ).fetchall()
        counts = {
            section: (learners, viewed, tried)
            for section, learners, viewed, tried in connection.execute(
                "SELECT section_block_id, learners, viewed, attempted_problem"
                " FROM edinsights_section_activity WHERE course_id = ?",
                (course,),
            )
        }
    listed = [(name, *counts.get(block, (0, 0, 0))) for block, name in names]
    if None in counts:
        listed.append(("(Deleted)", *counts[None]))
    return listed


def test_sections_level(page: Page, demo_home: DemoHome) -> None:
    for course in demo_home.courses:
        page.goto(f"/courses/{course}/engagement/content/")
        with page.expect_navigation():
            page.get_by_role("link", name="Sections learners were active in").click()
        path = page.url.removeprefix(page.url.split("/courses/")[0])
        assert path == f"/courses/{course}/engagement/content/sections/"
        check(page, path)
        shown = [
            (row[1], int(number(row[2])), int(number(row[3])), int(number(row[4]))) for row in table(page)
        ]
        assert shown == section_rows(demo_home, course)
        assert sum(learners > 0 for _name, learners, _v, _t in shown) >= 2


@pytest.fixture
def hostile_outcomes(demo_home: DemoHome) -> Iterator[str]:
    """Hostile outcome values on one problem of the first demo course, in the served result store."""
    course = demo_home.courses[0]
    database = demo_home.home / "results.sqlite3"
    with sqlite3.connect(database) as connection:
        module_id, total, correct = connection.execute(
            "SELECT module_id, total_submissions, correct_submissions FROM tags_distribution"
            " WHERE course_id = ? ORDER BY module_id LIMIT 1",
            (course,),
        ).fetchone()
        connection.executemany(
            "INSERT INTO tags_distribution (course_id, module_id, tag_name, tag_value, total_submissions,"
            " correct_submissions, created)"
            " VALUES (?, ?, 'learning_outcome', ?, ?, ?, '2024-03-18 00:00:00')",
            [(course, module_id, value, total, correct) for value in HOSTILE],
        )
    try:
        yield course
    finally:
        with sqlite3.connect(database) as connection:
            connection.executemany(
                "DELETE FROM tags_distribution WHERE course_id = ? AND tag_name = 'learning_outcome'"
                " AND tag_value = ?",
                [(course, value) for value in HOSTILE],
            )


def test_hostile_outcomes_open_their_own_page(page: Page, hostile_outcomes: str) -> None:
    listing = f"/courses/{hostile_outcomes}/performance/outcomes/"
    page.goto(listing)
    names = [row[1] for row in table(page)]
    assert set(HOSTILE) <= set(names)
    for value in HOSTILE:
        page.goto(listing)
        with page.expect_navigation():
            page.locator("table.data tbody tr").nth(names.index(value)).get_by_role("link").click()
        assert page.locator("h1").inner_text() == f"Learning outcome: {value}", page.url
        assert len(table(page)) == 1
    check(page, page.url.removeprefix(page.url.split("/courses/")[0]))
