"""Engagement > Videos in a real browser, by course structure: sections → a subsection → a video.

Each level draws its stacked bars with data, passes axe-core and the CSP, and its table reads as
the numbers recomputed from the Data API's videos and structure (`courses/{id}/structure/`)."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from playwright.sync_api import Page

from edinsights.dashboard.presentation import MISSING
from tests.browser.conftest import DemoHome
from tests.browser.test_dashboard import api, check, table

# Chromium (deselect with -m 'not browser').
pytestmark = pytest.mark.browser


class Percent:
    """A percentage as a table cell shows it, to 0.1 (the pages' number formatting truncates to
    one decimal where f"{:.1f}" rounds), or MISSING when there is nothing to divide by."""

    def __init__(self, part: int, whole: int) -> None:
        self.value = 100 * part / whole if whole else None

    def __eq__(self, cell: object) -> bool:
        if self.value is None:
            return cell == MISSING
        return isinstance(cell, str) and cell.endswith(" %") and abs(float(cell[:-2]) - self.value) <= 0.1

    def __repr__(self) -> str:
        return f"{self.value} %"


def shown_percent(complete: int, total: int) -> Percent:
    return Percent(complete, total)


def shown_average(total: int, count: int) -> str:
    return f"{round(total / count, 1):.1f}"


def outline_views(page: Page, course: str) -> dict[str, dict[str, list[tuple[int, int]]]]:
    """Section name → subsection name → (complete, incomplete) of each video, from the API."""
    blocks = api(page, f"courses/{course}/structure/")
    assert isinstance(blocks, list)
    by_id = {block["block_id"]: block for block in blocks}
    videos = {video["encoded_module_id"]: video for video in api(page, f"courses/{course}/videos/")}  # type: ignore[attr-defined]

    def up(block, kind):  # type: ignore[no-untyped-def]
        while block is not None and block["block_type"] != kind:
            block = by_id.get(block["parent_block_id"])
        return block

    result: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for block in sorted(blocks, key=lambda block: block["sort_idx"]):
        if block["block_type"] != "video" or block["is_orphan"]:
            continue
        video = videos.get(re.split(r"[@/]", block["block_id"])[-1])  # results name a video by block name
        start, end = (video["users_at_start"], video["users_at_end"]) if video else (0, 0)
        section, subsection = up(block, "chapter"), up(block, "sequential")
        result[section["display_name"]][subsection["display_name"]].append((end, max(start - end, 0)))
    return result


def level_rows(parts: dict[str, list[tuple[int, int]]]) -> dict[str, list[object]]:
    """Name → [videos, average complete, average incomplete, completion] as the table shows them."""
    expected = {}
    for name, views in parts.items():
        complete, incomplete = sum(v[0] for v in views), sum(v[1] for v in views)
        expected[name] = [
            str(len(views)),
            shown_average(complete, len(views)),
            shown_average(incomplete, len(views)),
            shown_percent(complete, complete + incomplete),
        ]
    return expected


def test_sections_subsection_video(page: Page, demo_home: DemoHome) -> None:
    course = demo_home.courses[0]
    check(page, f"/courses/{course}/engagement/videos/")
    views = outline_views(page, course)
    sections = {name: list(subsections.values()) for name, subsections in views.items()}
    flat = {name: [v for vs in parts for v in vs] for name, parts in sections.items()}
    shown = {row[1]: row[2:] for row in table(page) if row[1] != "(Deleted)"}
    assert level_rows(flat) == shown
    assert [row[0] for row in table(page)] == [str(n) for n in range(1, len(table(page)) + 1)]
    # Into the first section somebody watched.
    section = next(name for name, parts in flat.items() if sum(a + b for a, b in parts))
    page.locator("table.data tbody").get_by_role("link", name=section, exact=True).click()
    check(page, page.url.replace(page.url.split("/courses/")[0], ""))
    assert page.locator("h1").inner_text() == section
    assert level_rows(views[section]) == {row[1]: row[2:] for row in table(page)}
    crumbs = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").all_inner_texts()
    assert crumbs[-1] == "Videos"
    # Into its first subsection somebody watched: one row per video.
    subsection = next(name for name, parts in views[section].items() if sum(a + b for a, b in parts))
    page.locator("table.data tbody").get_by_role("link", name=subsection, exact=True).click()
    check(page, page.url.replace(page.url.split("/courses/")[0], ""))
    assert page.locator("h1").inner_text() == subsection
    expected = [
        [f"{complete:,}", f"{incomplete:,}", shown_percent(complete, complete + incomplete)]
        for complete, incomplete in views[section][subsection]
    ]
    rows = table(page)
    assert expected == [row[2:] for row in rows]
    crumbs = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").all_inner_texts()
    assert crumbs[-2:] == ["Videos", section]
    # The chart holds the table's numbers.
    spec = page.evaluate("() => JSON.parse(document.getElementById('chart-0').textContent)")
    assert [int(value) for value in spec["datasets"][0]["data"]] == [c for c, _ in views[section][subsection]]
    # Into the first video with views: its timeline, named, placed, with its neighbours.
    video = next(row[1] for row in rows if row[2] != "0" or row[3] != "0")
    page.locator("table.data tbody").get_by_role("link", name=video, exact=True).first.click()
    check(page, page.url.replace(page.url.split("/courses/")[0], ""))
    assert page.locator("h1").inner_text() == video
    crumbs = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").all_inner_texts()
    assert crumbs[-3:] == ["Videos", section, subsection]
    pager = page.get_by_role("navigation", name="Previous and next").get_by_role("link")
    assert pager.count() >= 1
    # Next (or previous) opens another video's page, and the API has data for it.
    target = pager.last
    label = target.inner_text()
    target.click()
    check(page, page.url.replace(page.url.split("/courses/")[0], ""))
    assert re.sub(r"^(Previous|Next) video: ", "", label) == page.locator("h1").inner_text()
    block = page.url.rstrip("/").rsplit("/", 1)[1]
    timeline = api(page, f"videos/{course}|{block}/timeline/")
    assert [[f"{t['num_users']:,}", f"{t['num_views']:,}"] for t in timeline] == [
        row[1:] for row in table(page)
    ]  # type: ignore[union-attr]
