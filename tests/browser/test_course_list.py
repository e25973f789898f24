"""The Courses list in a real browser: course names with their ids beneath, the catalog's dates
and pacing as the Data API gives them, and the Availability and Pacing checkboxes narrowing the
table (OR within a group, AND across, with the search); axe-core clean with the boxes checked."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import DemoHome, axe_violations, csp_violations
from tests.browser.test_dashboard import api, check, table

pytestmark = pytest.mark.browser

PACING_LABELS = {"instructor_paced": "Instructor-paced", "self_paced": "Self-paced"}


def listed(page: Page) -> list[str]:
    """The course ids in the table, in its order (each is the last line of the first cell)."""
    return [row[0].split("\n")[-1] for row in table(page)] if page.locator("table.data").count() else []


def summaries(page: Page) -> dict[str, dict[str, Any]]:
    found = api(page, "course_summaries/")
    assert isinstance(found, list)
    return {summary["course_id"]: summary for summary in found}


def apply(page: Page, availability: list[str], pacing: list[str], search: str = "") -> None:
    page.goto("/courses/?sort=course_id")
    page.get_by_label("Search").fill(search)
    for label in availability:
        page.get_by_role("group", name="Availability").get_by_label(label, exact=True).check()
    for value in pacing:
        page.get_by_role("group", name="Pacing").get_by_label(PACING_LABELS[value], exact=True).check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()


def test_the_table_shows_the_catalog(page: Page, demo_home: DemoHome) -> None:
    check(page, "/courses/?sort=course_id")
    known = summaries(page)
    rows = {row[0].split("\n")[-1]: row for row in table(page)}
    assert set(rows) == set(demo_home.courses)
    for course, row in rows.items():
        summary = known[course]
        assert row[0].split("\n")[0] == summary["catalog_course_title"]
        assert row[1] == f"{summary['start_date'][:10]}" and row[2] == f"{summary['end_date'][:10]}"
        assert row[3] == PACING_LABELS[summary["pacing_type"]]
        assert row[4] == summary["availability"]
    # The name links to the course home.
    first = demo_home.courses[0]
    page.get_by_role("link", name=known[first]["catalog_course_title"], exact=True).click()
    assert page.get_by_role("heading", name="Basic Course Information").is_visible()


@pytest.mark.parametrize(
    ("availability", "pacing"),
    [
        ([], ["self_paced"]),
        ([], ["instructor_paced"]),
        ([], ["instructor_paced", "self_paced"]),
        (["Current"], ["self_paced"]),
        (["Archived", "Upcoming"], []),
        (["Unknown"], []),
    ],
)
def test_checkboxes_narrow_the_table(
    page: Page, demo_home: DemoHome, availability: list[str], pacing: list[str]
) -> None:
    page.goto("/courses/")
    known = summaries(page)
    shown = {"Unknown": None}
    expected = sorted(
        course
        for course, summary in known.items()
        if (not availability or summary["availability"] in [shown.get(v, v) for v in availability])
        and (not pacing or summary["pacing_type"] in pacing)
    )
    apply(page, availability, pacing)
    assert listed(page) == expected
    # The boxes stay checked, and the page is accessible with them.
    for value in pacing:
        assert (
            page.get_by_role("group", name="Pacing")
            .get_by_label(PACING_LABELS[value], exact=True)
            .is_checked()
        )
    assert axe_violations(page) == [] and csp_violations(page) == []


def test_the_filters_and_the_search_together(page: Page, demo_home: DemoHome) -> None:
    page.goto("/courses/")
    known = summaries(page)
    # Both pacing types exist among the demo courses, so each box alone narrows the list.
    paced = {summary["pacing_type"] for summary in known.values()}
    assert paced == {"instructor_paced", "self_paced"}, paced
    course = demo_home.courses[-1]
    title = known[course]["catalog_course_title"]
    mine = known[course]["pacing_type"]
    other = "self_paced" if mine == "instructor_paced" else "instructor_paced"
    state = known[course]["availability"] or "Unknown"
    apply(page, [state], [mine], search=title)
    assert course in listed(page)
    assert all(title.lower() in known[c]["catalog_course_title"].lower() for c in listed(page))
    apply(page, [state], [other], search=title)
    assert course not in listed(page)
