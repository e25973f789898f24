"""Performance: Graded content and Ungraded problems in a real browser, level by level: each
level's charts have data points, axe-core and the CSP find nothing, and the table the user reads
holds the numbers of the level's CSV download; links and breadcrumbs lead through the levels."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page

from edinsights.dashboard.presentation import MISSING
from tests.browser.conftest import DemoHome
from tests.browser.test_dashboard import check, table

pytestmark = pytest.mark.browser


def download(page: Page, url: str) -> list[dict[str, str]]:
    response = page.request.get(url + "?format=csv")
    assert response.ok, url
    return list(csv.DictReader(io.StringIO(response.text())))


def here(page: Page) -> str:
    return page.url.replace(page.url.split("/courses/")[0], "")


def number(cell: str) -> float | None:
    """A shown number ("1,234", "79.8 %") as a float, None for MISSING (unknown)."""
    cell = cell.replace(",", "").removesuffix("%").strip()
    return None if cell == MISSING else float(cell)


def assert_table_is_the_csv(page: Page, keys: list[str]) -> list[dict[str, str]]:
    """The page's table, column by column (`keys`: the CSV's columns in the table's order),
    equals its CSV: text as it is, numbers to the shown precision (a percentage's decimal is cut,
    not rounded: Django's number_format). Returns the CSV rows."""
    url = here(page)
    rows = download(page, url)
    shown = table(page)
    assert len(shown) == len(rows) > 0, url
    for cells, row in zip(shown, rows, strict=True):
        for cell, key in zip(cells, keys, strict=True):
            if key in ("name",):
                assert cell == row[key], (url, key)
            else:
                expected = None if row[key] == "" else float(row[key])
                assert number(cell) == (None if expected is None else pytest.approx(expected, abs=0.1)), (
                    url,
                    key,
                    cell,
                    row[key],
                )
    return rows


def crumbs(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("nav.breadcrumb a").all_inner_texts()][2:]


GROUP = [
    "order",
    "name",
    "problems",
    "average_correct",
    "average_incorrect",
    "average_submissions",
    "percent_correct",
]
PROBLEMS = ["order", "name", "correct", "incorrect", "total", "percent_correct"]


def open_first_answered(page: Page, rows: list[dict[str, str]], column: str) -> dict[str, str]:
    """Follow the link of the first row with submissions (`column` > 0); that row."""
    index, row = next((index, row) for index, row in enumerate(rows) if float(row[column] or 0) > 0)
    page.locator("table.data tbody tr").nth(index).get_by_role("link").first.click()
    return row


def test_graded_content_levels(page: Page, demo_home: DemoHome) -> None:
    course = demo_home.courses[-1]
    landing = f"/courses/{course}/performance/graded/"
    check(page, landing)
    types = assert_table_is_the_csv(
        page,
        ["order", "name", "weight", "assignments", *GROUP[2:]],
    )
    # One proportional bar per assignment type of the policy: its label, its share (≥ 5 %), its link.
    bars = page.locator(".proportions a")
    assert bars.count() == len([row for row in types if row["weight"]])
    for index, row in enumerate(row for row in types if row["weight"]):
        bar = bars.nth(index)
        assert bar.inner_text().strip() == f"{row['name']}: {float(row['weight']):g}% of the grading policy"
        assert float(bar.locator("rect.share").get_attribute("width") or 0) == pytest.approx(
            max(5.0, float(row["weight"]))
        )
        assert bar.get_attribute("href") == f"{landing}{row['key']}/"
        width = bar.locator("rect.share").bounding_box()
        whole = bar.locator("rect.whole").bounding_box()
        assert (
            width
            and whole
            and width["width"] == pytest.approx(whole["width"] * max(5, float(row["weight"])) / 100, rel=0.02)
        )
    # Open the first type with submissions through its bar.
    kind = next(row for row in types if float(row["average_submissions"] or 0) > 0)
    bars.nth(types.index(kind)).click()
    check(page, here(page))
    assert page.locator("h1").inner_text() == kind["name"] and crumbs(page) == ["Graded content"]
    assert "Only each learner's last submission" in page.locator(".intro").inner_text()
    assignments = assert_table_is_the_csv(page, GROUP)
    assignment = open_first_answered(page, assignments, "average_submissions")
    check(page, here(page))
    assert page.locator("h1").inner_text() == assignment["name"]
    assert crumbs(page) == ["Graded content", kind["name"]]
    problems = assert_table_is_the_csv(page, PROBLEMS)
    problem = open_first_answered(page, problems, "total")
    check(page, here(page))
    assert page.locator("h1").inner_text() == problem["name"]
    assert crumbs(page) == ["Graded content", kind["name"], assignment["name"]]
    assert page.locator('nav.course-nav a[aria-current="page"]').inner_text().endswith("Graded content")


def test_ungraded_problem_levels(page: Page, demo_home: DemoHome) -> None:
    course = demo_home.courses[-1]
    check(page, f"/courses/{course}/performance/ungraded/")
    sections = assert_table_is_the_csv(page, GROUP)
    section = open_first_answered(page, sections, "average_submissions")
    check(page, here(page))
    assert page.locator("h1").inner_text() == section["name"] and crumbs(page) == ["Ungraded problems"]
    subsections = assert_table_is_the_csv(page, GROUP)
    subsection = open_first_answered(page, subsections, "average_submissions")
    check(page, here(page))
    assert crumbs(page) == ["Ungraded problems", section["name"]]
    problems = assert_table_is_the_csv(page, PROBLEMS)
    problem = open_first_answered(page, problems, "total")
    check(page, here(page))
    assert page.locator("h1").inner_text() == problem["name"]
    assert crumbs(page) == ["Ungraded problems", section["name"], subsection["name"]]
    # The chart of a level plots its table's rows.
    page.go_back()
    labels = page.evaluate("() => Chart.getChart(document.querySelector('canvas')).data.labels")
    assert labels == [row["name"] for row in problems]


def test_every_course_has_both_landings(page: Page, demo_home: DemoHome) -> None:
    """Every demo course's Graded content and Ungraded problems (the course menu links them)
    draw their charts with data; the landing's bars are one per weighted type."""
    for course in demo_home.courses:
        for level in ("graded", "ungraded"):
            check(page, f"/courses/{course}/performance/{level}/")
            assert page.locator("table.data tbody tr").count() > 0
        page.goto(f"/courses/{course}/performance/graded/")
        weighted = [row for row in download(page, f"/courses/{course}/performance/graded/") if row["weight"]]
        assert page.locator(".proportions a").count() == len(weighted) > 0
