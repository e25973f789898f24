"""Browser tests: a served demo home driven by Playwright on Debian's Chromium.

Fixtures (session scope unless noted):
- `demo_home`: an edinsights home built by `edinsights demo --no-serve` (a small data set), with
  its superuser `demo` and password, and the simulated course ids.
- `live_server`: that home served by `edinsights serve` on a free port; its base URL.
- `browser` (package: the tests under tests/browser): headless /usr/bin/chromium under
  Playwright's sync API.
- `page` (function): a blank page signed in as the demo superuser (one session shared by the
  tests), in a browser context of its own with `base_url` set (so `page.goto("/courses/")`
  works); console errors and uncaught page errors fail the test at teardown.
- `anonymous_page` (function): the same, signed out.
- `browser_errors` (function): the list the two collect into; a test that provokes an error on
  purpose clears it.

Helpers: `axe_violations(page)` runs axe-core in the page, `chart_points(page)` counts the data
points of each Chart.js chart, `sign_in(page, username, password)` uses the sign-in form,
`csp_violations(page)` lists what the Content-Security-Policy blocked in the current document.

Playwright never downloads a browser here: without /usr/bin/chromium (`./dev test` installs it
on Debian) the tests skip with the reason, except in CI, where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, StorageState, sync_playwright

from tests.conftest import serving

CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"

# Small enough to build in a few seconds, long enough for several weeks of weekly metrics. The
# demo's default 4 courses include an old-style key and a CCX, whose ids need URL care.
DEMO_OPTIONS = ("--learners", "200", "--days", "42", "--seed", "3")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def _missing(what: str, how: str) -> None:
    """Skip outside CI with the reason; in CI a missing browser or library fails the tests."""
    message = f"{what} is missing ({how})"
    if _in_ci():
        pytest.fail(f"CI needs it for the browser tests: {message}", pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class DemoHome:
    home: Path
    username: str
    password: str
    courses: list[str]
    """The simulated course ids, sorted."""

    @classmethod
    def of(cls, home: Path) -> DemoHome:
        """What `edinsights demo` left in HOME: its sign-in and the simulated course ids."""
        truth = json.loads((home / "demo" / "ground_truth.json").read_text())
        return cls(
            home=home,
            username="demo",
            # The demo keeps its superuser's password here (see edinsights.web.server.demo_sign_in).
            password=(home / "demo" / "sign-in").read_text().strip(),
            courses=sorted({row["course_id"] for row in truth["daily"]}),
        )


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> DemoHome:
    """A home with the demo's data set ingested and its metrics computed (nothing served)."""
    home = tmp_path_factory.mktemp("browser") / "home"
    # A subprocess, not prepare_demo() in-process: Django's settings are global to the test
    # process and the `django_home` fixture may already have pointed them at another home.
    completed = subprocess.run(
        [sys.executable, "-m", "edinsights", "--home", str(home), "demo", "--no-serve", *DEMO_OPTIONS],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    return DemoHome.of(home)


@pytest.fixture(scope="session")
def live_server(demo_home: DemoHome) -> Iterator[str]:
    """`edinsights serve` on the demo home; yields the base URL (no trailing slash)."""
    # Two workers so that a page's parallel requests (scripts, styles, data) do not queue.
    with serving(demo_home.home, workers=2) as url:
        yield url


# Package scope, not session: between its calls Playwright's sync API leaves its asyncio loop
# marked as running in the main thread, and Django then refuses ORM calls there
# (SynchronousOnlyOperation). Closing it after the last browser test keeps the rest of the
# suite's Django tests unaffected.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        _missing(str(CHROMIUM), "Debian/Ubuntu: apt-get install chromium chromium-driver; ./dev test does")
    # A browser test that reads the result store with the ORM would hit that refusal too, yet no
    # coroutine runs while the test's code does: the check is a false alarm until Playwright stops.
    allow_async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            # Always the system's Chromium: `playwright install` (a browser download) is not used.
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            try:
                yield launched
            finally:
                launched.close()
    finally:
        if allow_async_unsafe is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = allow_async_unsafe


@pytest.fixture
def browser_errors() -> list[str]:
    """Console errors and uncaught exceptions of the test's pages, as readable lines."""
    return []


@contextmanager
def _watched_page(
    browser: Browser, base_url: str, errors: list[str], storage_state: StorageState | None = None
) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, storage_state=storage_state)
    # Every Content-Security-Policy violation of the context's pages, for `csp_violations` (an
    # init script: Playwright injects it, so the policy itself does not block it).
    context.add_init_script(_RECORD_CSP_VIOLATIONS)
    page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        location = message.location
        # Chromium asks for /favicon.ico by itself when a page names no icon: a browser habit,
        # not an error of the page (an icon the page does link to is still checked).
        if message.type == "error" and urlsplit(location.get("url", "")).path != "/favicon.ico":
            where = f"{location.get('url')}:{location.get('lineNumber')}"
            errors.append(f"console error at {where}: {message.text}")

    def on_page_error(error: Error) -> None:
        errors.append(f"uncaught {error.name or 'error'} on {page.url}: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    try:
        yield page
    finally:
        context.close()
    # After the test (not during it): the test's own assertion failures are reported first.
    if errors:
        pytest.fail("the browser reported errors:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def anonymous_page(browser: Browser, live_server: str, browser_errors: list[str]) -> Iterator[Page]:
    """A page of a fresh, signed-out browser context on the live server."""
    with _watched_page(browser, live_server, browser_errors) as page:
        yield page


@pytest.fixture(scope="session")
def _signed_in_state() -> dict[str, StorageState]:
    """The demo superuser's session cookie, shared by the `page` fixtures (filled by the first)."""
    return {}


@pytest.fixture
def page(
    browser: Browser,
    live_server: str,
    demo_home: DemoHome,
    browser_errors: list[str],
    _signed_in_state: dict[str, StorageState],
) -> Iterator[Page]:
    """A blank page signed in as the demo superuser, in a browser context of its own."""
    # Signing in costs about a second (the password hash is slow on purpose), so the tests share
    # one session, made by the first of them.
    with _watched_page(browser, live_server, browser_errors, _signed_in_state.get("state")) as page:
        if "state" not in _signed_in_state:
            sign_in(page, demo_home.username, demo_home.password)
            _signed_in_state["state"] = page.context.storage_state()
            page.goto("about:blank")  # every test starts from the same place
        yield page
        # A test that signed out (or in as someone else) changed the session cookie: the shared
        # session may be gone, so the next test signs in anew.
        shared = _signed_in_state["state"].get("cookies", [])
        if _session_ids(page.context.cookies()) != _session_ids(shared):
            _signed_in_state.clear()


def _session_ids(cookies: Iterable[Mapping[str, object]]) -> set[object]:
    return {cookie["value"] for cookie in cookies if cookie["name"] == "sessionid"}


_RECORD_CSP_VIOLATIONS = """document.addEventListener("securitypolicyviolation", event => {
    (window.__cspViolations = window.__cspViolations || []).push(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
        + ` at ${event.sourceFile}:${event.lineNumber}`
    );
});"""


def csp_violations(page: Page) -> list[str]:
    """The Content-Security-Policy violations of the page's current document, as readable lines."""
    return page.evaluate("() => window.__cspViolations || []")


def sign_in(page: Page, username: str, password: str, next_url: str = "/") -> None:
    """Sign in through the sign-in form, then land on `next_url`."""
    # An explicit `next` keeps this independent of where LOGIN_REDIRECT_URL points.
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert "/accounts/login/" not in page.url, f"signing in as {username} failed: still on {page.url}"


def axe_violations(page: Page, impact: Iterable[str] = ("serious", "critical")) -> list[dict]:
    """axe-core's accessibility violations of the page's current state, at the given impacts.

    Each is {id, impact, help, targets} (targets: the CSS selectors of the offending elements),
    so that `assert axe_violations(page) == []` prints what is wrong and where.
    """
    if not AXE.is_file():
        _missing(str(AXE), "run `npm ci` in the project directory; ./dev does")
    # Evaluated through Playwright, not added as an inline <script>: the pages' Content-Security-
    # Policy (script-src 'self') blocks inline scripts, and must stay as strict under test.
    page.evaluate(AXE.read_text())
    results = page.evaluate("async () => await axe.run(document)")
    wanted = set(impact)
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]],
        }
        for violation in results["violations"]
        if violation["impact"] in wanted
    ]


# Counts, per canvas, the entries of every dataset of its Chart.js chart (null gaps included:
# they are points of the series' x axis); null for a canvas that has no chart.
_CHART_POINTS = """canvases => canvases.map(canvas => {
    const chart = window.Chart && window.Chart.getChart(canvas);
    return chart ? chart.data.datasets.reduce((total, dataset) => total + dataset.data.length, 0) : null;
})"""


def chart_points(page: Page, selector: str = "canvas", timeout: float = 10_000) -> list[int]:
    """The number of data points of each chart drawn on the canvases matching `selector`.

    Waits (up to `timeout` ms) until Chart.js is loaded and every matching canvas has its chart,
    since charts are usually drawn after the page's scripts fetch or parse their data.
    """
    ready = f"""() => {{
        const canvases = [...document.querySelectorAll({json.dumps(selector)})];
        return !!window.Chart && canvases.every(canvas => window.Chart.getChart(canvas));
    }}"""
    with suppress(Error):  # a timeout is reported below, with the canvases that lack a chart
        page.wait_for_function(ready, timeout=timeout)
    points = page.locator(selector).evaluate_all(_CHART_POINTS)
    has_chart_js = page.evaluate("() => !!window.Chart")
    assert has_chart_js, f"Chart.js is not loaded on {page.url}"
    missing = [index for index, count in enumerate(points) if count is None]
    assert not missing, f"canvases {missing} of {selector!r} on {page.url} have no chart"
    return points
