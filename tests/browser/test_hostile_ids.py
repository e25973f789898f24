"""Ids from events in a real browser: Chromium resolves `..` segments, and a proxy may merge `//`;
every video and problem link of the hostile course (tests/web/test_hostile_data) still opens
its own page when clicked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import sign_in
from tests.web.test_hostile_data import (
    COURSE,
    MARKUP,
    PASSWORD,
    PROBLEM_IDS,
    PROBLEM_NAMES,
    PROBLEM_TITLE,
    VIDEO_BLOCKS,
    computed_home,  # noqa: F401 (the fixture, used by name)
    serving_with_log,
)

# Chromium (deselect with -m 'not browser').
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_page(
    browser: Browser,
    computed_home: Path,  # noqa: F811 (the fixture imported above)
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Page]:
    with serving_with_log(computed_home, tmp_path_factory.mktemp("browser") / "stderr") as url:
        context = browser.new_context(base_url=url)
        page = context.new_page()
        sign_in(page, "hostile-staff", PASSWORD)
        yield page
        context.close()


def clicked_titles(page: Page, listing: str) -> list[str]:
    """Click each table link of `listing` in turn; the h1 of the page each one opened."""
    page.goto(listing)
    count = page.locator("table.data tbody tr a").count()
    titles = []
    for index in range(count):
        page.goto(listing)
        with page.expect_navigation():
            page.locator("table.data tbody tr a").nth(index).click()
        assert page.locator("h1").count() == 1, page.url
        titles.append(page.locator("h1").inner_text())
    return titles


def test_video_links_open_their_video(hostile_page: Page) -> None:
    # The outline places `plain` (titled by its display name); the others are (Deleted).
    videos = f"/courses/{COURSE}/engagement/videos/"
    titles = clicked_titles(hostile_page, f"{videos}ch1/seq1/")
    titles += clicked_titles(hostile_page, f"{videos}(deleted)/(deleted)/")
    expected = [block.strip() for block in VIDEO_BLOCKS if block != "plain"] + [f"-1+1 {MARKUP}"]
    assert sorted(titles) == sorted(expected)


def test_problem_links_open_their_problem(hostile_page: Page) -> None:
    titles = clicked_titles(hostile_page, f"/courses/{COURSE}/performance/problems/")
    # A problem page's title is its display name: the outline's for p1 (PROBLEM_IDS[0]), else
    # the one the events gave (PROBLEM_NAMES in turn).
    expected = [PROBLEM_NAMES[n % len(PROBLEM_NAMES)] for n in range(len(PROBLEM_IDS))]
    expected[0] = PROBLEM_TITLE
    assert sorted(titles) == sorted(expected)
