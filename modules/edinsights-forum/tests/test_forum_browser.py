"""The Discussions page in Chromium: the chart is drawn from the table's numbers, without errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from edinsights.testing import serving

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "Forum-module-browser-2024"


def edinsights(home: Path, *arguments: str, stdin: str | None = None) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "edinsights", "--home", str(home), *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout


@pytest.mark.browser
@pytest.mark.live
@pytest.mark.slow
def test_the_discussions_page_draws_its_chart(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        # As edinsights' own browser tests: skipped with the reason, except in CI, where it fails.
        message = f"{CHROMIUM} is missing (Debian/Ubuntu: apt-get install chromium; ./dev test does)"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    home = tmp_path / "home"
    edinsights(home, "demo", "--no-serve", "--learners", "200", "--days", "14")
    edinsights(home, "user", "create", "forum-staff", "--staff", "--password-stdin", stdin=PASSWORD + "\n")
    errors: list[str] = []
    with serving(home) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page(base_url=url)
            page.on(
                "console", lambda message: errors.append(message.text) if message.type == "error" else None
            )
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto("/accounts/login/?next=/courses/")
            page.get_by_label("Username").fill("forum-staff")
            page.get_by_label("Password").fill(PASSWORD)
            with page.expect_navigation():
                page.get_by_role("button", name="Sign in").click()
            courses = page.evaluate("async () => (await (await fetch('/api/v0/course_summaries/')).json())")
            course = sorted({row["course_id"] for row in courses})[0]
            page.goto(f"/courses/{course}/engagement/discussions/")
            assert page.locator("h1").inner_text() == "Discussions"
            assert page.get_by_role("link", name="Discussions").get_attribute("aria-current") == "page"
            weeks = page.locator("table.data").first.locator("tbody tr").count()
            assert weeks > 0
            page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas'))")
            labels = page.evaluate("() => Chart.getChart(document.querySelector('canvas')).data.labels")
            assert len(labels) == weeks
            assert page.get_by_role("link", name="Download CSV").is_visible()
            page.goto(f"/courses/{course}/engagement/discussions/topics/")
            assert page.locator("table.data tbody tr").count() > 1
        finally:
            browser.close()
    assert errors == []
