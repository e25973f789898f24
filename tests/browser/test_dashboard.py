"""The dashboard in a real browser: every page on demo data draws its chart with data, its table
holds the same numbers as the Data API, nothing logs an error, and axe-core finds no serious
accessibility violation."""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import DemoHome, axe_violations, chart_points, csp_violations
from tests.dashboard.test_pages import PAGES

# Chromium (deselect with -m 'not browser').
pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("EDINSIGHTS_SCREENSHOTS")
"""A directory to keep a screenshot of every page in (for people reviewing the design)."""


def check(page: Page, url: str) -> None:
    """Open `url`; its charts have data points, and axe finds no serious violation."""
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    points = chart_points(page)
    assert points and all(count > 0 for count in points), f"{url}: empty chart(s) {points}"
    # Everything the page needs comes from this server, and no inline script runs.
    assert csp_violations(page) == [], url
    assert axe_violations(page) == [], url
    if SCREENSHOTS:
        name = quote(url, safe="").replace("%", "_")[:150]
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def table(page: Page, index: int = 0) -> list[list[str]]:
    """The rows of the page's `index`-th data table, as the user reads them (cells' text)."""
    return (
        page.locator("table.data")
        .nth(index)
        .evaluate("t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText.trim()))")
    )


def api(page: Page, path: str) -> object:
    """The Data API's answer, fetched with the page's own session."""
    response = page.request.get(f"/api/v0/{path}")
    assert response.ok, path
    return response.json()


def test_courses_page(page: Page, demo_home: DemoHome) -> None:
    check(page, "/courses/")
    # The first cell is the course's name with its id beneath (the last line); then start, end,
    # pacing, availability and the counts.
    shown = {row[0].split("\n")[-1]: row for row in table(page)}
    assert set(shown) == set(demo_home.courses)
    for summary in api(page, "course_summaries/"):
        assert shown[summary["course_id"]][5] == f"{summary['count']:,}"
    # Sorting by a header is a link: the largest course comes first.
    page.get_by_role("link", name="Enrolled").click()
    counts = [int(row[5].replace(",", "")) for row in table(page)]
    assert counts == sorted(counts, reverse=True)
    # Searching narrows the list and the chart.
    page.get_by_label("Search").fill("MITx")
    page.get_by_role("button", name="Apply").click()
    assert [row[0].split("\n")[-1] for row in table(page)] == [c for c in demo_home.courses if "MITx" in c]
    assert chart_points(page) == [2 * len(table(page))]


@pytest.mark.parametrize("path", PAGES)
def test_course_pages(page: Page, demo_home: DemoHome, path: str) -> None:
    for course in demo_home.courses:
        check(page, f"/courses/{course}/{path}")
        assert page.locator("table.data tbody tr").count() > 0
        assert page.get_by_role("link", name="Download CSV").is_visible()


def test_every_page_in_the_course_navigation(page: Page, demo_home: DemoHome) -> None:
    """Each entry of the course menu, whichever module added it (the installed ones included),
    draws its charts with data and passes the CSP and axe checks."""
    course = demo_home.courses[0]
    page.goto(f"/courses/{course}/")
    links = page.locator("nav.course-nav a")
    paths = [links.nth(index).get_attribute("href") for index in range(links.count())]
    assert len(paths) >= 1 + len(PAGES) - 1  # the course home and at least the built-in pages
    for path in paths:
        assert path is not None and path.startswith(f"/courses/{course}/"), path
        check(page, path)


def test_enrollment_table_holds_the_apis_numbers(page: Page, demo_home: DemoHome) -> None:
    course = demo_home.courses[0]
    page.goto(f"/courses/{course}/enrollment/activity/")
    days = api(page, f"courses/{course}/enrollment/mode/?start_date=2000-01-01&end_date=2100-01-01")
    assert [(row[0], row[1]) for row in table(page)] == [(day["date"], f"{day['count']:,}") for day in days]
    # The chart plots the same days.
    labels = page.evaluate("() => Chart.getChart(document.querySelector('canvas')).data.labels")
    assert labels == [day["date"] for day in days]


def test_video_and_problem_pages(page: Page, demo_home: DemoHome) -> None:
    course = demo_home.courses[-1]
    page.goto(f"/courses/{course}/engagement/videos/")
    # Sections → subsections → videos (tests/browser/test_video_levels.py): the first linked row.
    for _level in range(3):
        link = page.locator("table.data tbody tr a").first
        name = link.inner_text()
        link.click()
        check(page, page.url.replace(page.url.split("/courses/")[0], ""))
        assert page.locator("h1").inner_text() == name
    page.goto(f"/courses/{course}/performance/problems/")
    page.locator("table.data tbody tr").first.get_by_role("link").click()
    check(page, page.url.replace(page.url.split("/courses/")[0], ""))
    assert (
        page.get_by_role("heading", name="Part 1").count() + page.locator("h2", has_text="Part 1").count() > 0
    )


def test_keyboard_reaches_the_content_first(page: Page, demo_home: DemoHome) -> None:
    page.goto(f"/courses/{demo_home.courses[0]}/engagement/content/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (768, 1024)])
def test_pages_fit_laptop_and_tablet_screens(
    page: Page, demo_home: DemoHome, width: int, height: int
) -> None:
    """No page scrolls sideways: wide tables scroll inside their own (focusable) region."""
    page.set_viewport_size({"width": width, "height": height})
    for path in ("/courses/", f"/courses/{demo_home.courses[0]}/engagement/videos/"):
        page.goto(path)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a {width}px screen"
