"""`pip install edinsights-*.whl` gives a working server: the built packages carry every static
file and the pinned Chart.js (never the test-only axe-core nor node_modules), and the installed
package, outside the checkout, serves dashboard pages whose charts draw in a real browser."""

from __future__ import annotations

import tarfile
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import DemoHome, chart_points
from tests.dashboard.test_pages import PAGES
from tests.packaging.conftest import OUTSIDE, ROOT, Dist, Installed, run

# Builds the sdist and the wheel and installs them in a new virtual environment (minutes).
pytestmark = pytest.mark.slow

STATIC = ROOT / "src" / "edinsights" / "dashboard" / "static"
NODE_MODULES = ROOT / "node_modules"

VENDORED = {
    "chart.js/dist/chart.umd.min.js": NODE_MODULES / "chart.js" / "dist" / "chart.umd.min.js",
    "chart.js/LICENSE.md": NODE_MODULES / "chart.js" / "LICENSE.md",
    # Chart.js's browser build bundles @kurkle/color.
    "@kurkle/color/LICENSE.md": NODE_MODULES / "@kurkle" / "color" / "LICENSE.md",
}
"""The copies a built package carries under edinsights/dashboard/static/vendor/, and their originals."""


def static_files(names: list[str], package_root: str) -> dict[str, str]:
    """The archive's members under the dashboard's static/, by their path relative to it."""
    prefix = f"{package_root}edinsights/dashboard/static/"
    return {name.removeprefix(prefix): name for name in names if name.startswith(prefix) and name != prefix}


def own_static_files() -> set[str]:
    """The checkout's static files (the dashboard's scripts, styles and icon)."""
    return {path.relative_to(STATIC).as_posix() for path in STATIC.rglob("*") if path.is_file()}


def test_the_wheel_carries_every_static_file_and_chart_js_only(dist: Dist) -> None:
    with zipfile.ZipFile(dist.wheel) as wheel:
        names = wheel.namelist()
        static = static_files(names, "")
        assert set(static) == own_static_files() | {f"vendor/{name}" for name in VENDORED}
        for name, original in VENDORED.items():
            assert wheel.read(static[f"vendor/{name}"]) == original.read_bytes(), name
    assert own_static_files() >= {"dashboard/charts.js", "dashboard/dashboard.css", "dashboard/favicon.svg"}
    assert not [name for name in names if "axe" in name or "node_modules" in name]


def test_the_sdist_carries_the_copies_so_a_wheel_builds_from_it_without_npm(dist: Dist) -> None:
    with tarfile.open(dist.sdist) as sdist:
        names = [member.name for member in sdist.getmembers() if member.isfile()]
    top = names[0].split("/")[0] + "/"
    static = static_files(names, f"{top}src/")
    assert set(static) == own_static_files() | {f"vendor/{name}" for name in VENDORED}
    assert f"{top}build_backend/edinsights_build.py" in names  # pyproject.toml's backend-path
    assert not [name for name in names if "axe" in name or "node_modules" in name]


def test_a_wheel_straight_from_the_source_tree_is_the_sdists_wheel(dist: Dist) -> None:
    """`pip install .` in a checkout (copies from node_modules/) makes the same package."""
    with zipfile.ZipFile(dist.wheel) as released, zipfile.ZipFile(dist.direct_wheel) as direct:
        package = sorted(name for name in released.namelist() if name.startswith("edinsights/"))
        assert package == sorted(name for name in direct.namelist() if name.startswith("edinsights/"))
        assert [name for name in package if released.read(name) != direct.read(name)] == []


def test_the_installed_package_is_the_wheels_with_its_own_chart_js(installed: Installed) -> None:
    where = run(
        [
            installed.command("python"),
            "-c",
            "import edinsights.dashboard.assets as a; print(a.__file__); print(a.packaged())",
        ],
        installed.outside,
        OUTSIDE,
    ).split()
    assert Path(where[0]).is_relative_to(installed.venv), where
    assert where[1] == "True"


@pytest.mark.browser
def test_the_installed_server_draws_every_pages_chart(page: Page, demo_home: DemoHome) -> None:
    """The browser tests' chart check against the installed package's `edinsights serve`.

    A script or style that fails to load is a console error, which fails the test too.
    """
    for url in ["/courses/", *(f"/courses/{demo_home.courses[0]}/{path}" for path in PAGES)]:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        points = chart_points(page)
        assert points and all(count > 0 for count in points), f"{url}: empty chart(s) {points}"
