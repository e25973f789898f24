"""The browser harness on the pages that exist without the dashboard: sign-in and the API docs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DemoHome, axe_violations, chart_points, csp_violations, sign_in

# Chromium (deselect with -m 'not browser').
pytestmark = pytest.mark.browser

CHART_JS = "/static/vendor/chart.js/dist/chart.umd.min.js"


def test_sign_in_page_is_accessible(anonymous_page: Page) -> None:
    anonymous_page.goto("/accounts/login/")
    expect(anonymous_page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert axe_violations(anonymous_page) == []


def test_signed_out_visitors_are_sent_to_sign_in(anonymous_page: Page) -> None:
    anonymous_page.goto("/")
    # Wherever "/" leads (the dashboard's course list), a signed-out visitor lands on sign-in.
    expect(anonymous_page).to_have_url(re.compile(r"/accounts/login/\?next=/"))
    expect(anonymous_page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_signing_in_with_the_form(anonymous_page: Page, demo_home: DemoHome) -> None:
    anonymous_page.goto("/accounts/login/")
    anonymous_page.get_by_label("Username").fill(demo_home.username)
    anonymous_page.get_by_label("Password").fill("not the password")
    anonymous_page.get_by_role("button", name="Sign in").click()
    expect(anonymous_page.get_by_role("alert")).to_contain_text("didn't match")

    sign_in(anonymous_page, demo_home.username, demo_home.password)
    expect(anonymous_page.get_by_role("button", name="Sign out")).to_be_visible()


def test_signing_out(page: Page) -> None:
    """Ends the session the `page` fixtures share: the next test's page must sign in anew."""
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/"))


def test_api_docs_render(page: Page) -> None:
    page.goto("/api/docs/")
    # Swagger UI (from drf-spectacular-sidecar's static files) fetches the schema, then renders it.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("edinsights Data API")
    expect(page.locator(".opblock").first).to_be_visible()


def test_redoc_renders(page: Page, browser_errors: list[str]) -> None:
    page.goto("/api/redoc/")
    expect(page.get_by_role("heading", name="edinsights Data API", exact=False).first).to_be_visible()
    expect(page.get_by_text("course_summaries").first).to_be_attached()
    # Only Redoc's "powered by" logo, from its CDN, is blocked: nothing third-party loads.
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert [violation.split(" at ")[0] for violation in csp_violations(page)] in (
        [],
        [f"img-src blocked {logo}"],
    )
    browser_errors[:] = [error for error in browser_errors if logo not in error]


def test_api_docs_run_under_the_content_security_policy(page: Page) -> None:
    page.goto("/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    assert csp_violations(page) == []


def test_the_browsable_api_runs_under_the_content_security_policy(page: Page) -> None:
    response = page.goto("/api/v0/course_summaries/")
    assert response is not None and response.status == 200
    expect(page.locator(".response-info")).to_be_visible()
    assert csp_violations(page) == []


def test_admin_pages_run_under_the_content_security_policy(page: Page) -> None:
    for url in ("/admin/", "/admin/auth/user/", "/admin/auth/user/add/", "/admin/auth/user/1/change/"):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert csp_violations(page) == [], url


def test_the_content_security_policy_blocks_inline_script(
    anonymous_page: Page, browser_errors: list[str]
) -> None:
    """The policy is enforced (and `csp_violations` sees it): an injected inline script does not run."""
    anonymous_page.goto("/accounts/login/")
    assert csp_violations(anonymous_page) == []
    anonymous_page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.appendChild(script);
        }"""
    )
    assert anonymous_page.evaluate("() => window.injected === undefined")
    violations = csp_violations(anonymous_page)
    assert len(violations) == 1 and violations[0].startswith("script-src-elem blocked inline"), violations
    assert any("Content Security Policy" in error for error in browser_errors), browser_errors
    browser_errors.clear()


def test_chart_js_is_served_and_charts_are_counted(page: Page) -> None:
    """The vendored Chart.js loads from the app's static files; chart_points reads its charts."""
    response = page.request.get(CHART_JS)
    assert response.ok and "javascript" in response.headers["content-type"]
    page.goto("/health/")  # any document of the app's origin, replaced by an empty one
    page.set_content('<!doctype html><html lang="en"><title>Charts</title><body></body></html>')
    page.add_script_tag(url=CHART_JS)
    page.evaluate(
        """() => {
            for (const sizes of [[3], [2, 4]]) {
                const canvas = document.body.appendChild(document.createElement("canvas"));
                canvas.className = "test-chart";
                new Chart(canvas, {
                    type: "line",
                    data: {
                        labels: ["a", "b", "c", "d"],
                        datasets: sizes.map(size => ({label: `${size}`, data: Array(size).fill(1)})),
                    },
                    options: {animation: false},
                });
            }
        }"""
    )
    assert chart_points(page, "canvas.test-chart") == [3, 6]


def test_browser_errors_are_collected(anonymous_page: Page, browser_errors: list[str]) -> None:
    """The fixtures see console errors and uncaught exceptions (and would fail the test on them)."""
    anonymous_page.goto("/accounts/login/")
    anonymous_page.evaluate("() => console.error('logged on purpose')")
    anonymous_page.evaluate("() => { setTimeout(() => { throw new Error('thrown on purpose'); }); }")
    anonymous_page.wait_for_timeout(200)
    assert len(browser_errors) == 2
    assert "logged on purpose" in browser_errors[0] and "thrown on purpose" in browser_errors[1]
    browser_errors.clear()  # expected here: do not fail at teardown
