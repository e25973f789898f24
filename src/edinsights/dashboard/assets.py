"""The dashboard's JavaScript libraries: npm packages, served as static files (no CDN).

An installed package (wheel or sdist) carries copies of them in this app's static/vendor/, made
at build time by build_backend/edinsights_build.py: the app's own static files serve them, as
they serve its scripts and styles. A checkout (an editable install) has no copies: `./dev` runs
`npm ci`, which puts the libraries in the project's `node_modules/`, served from there, or from
the `node_modules/` that `EDINSIGHTS_NODE_MODULES` names. A system check says clearly when
neither has them instead of a page with no charts.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core import checks

PACKAGED = Path(__file__).resolve().parent / "static" / "vendor"
"""The build step's copies, as `PACKAGE/FILE` (absent in a checkout)."""

PROJECT_NODE_MODULES = Path(__file__).resolve().parents[3] / "node_modules"

CHART_JS = "chart.js/dist/chart.umd.min.js"
"""Chart.js's browser build (UMD: defines the global `Chart`)."""


def node_modules() -> Path:
    return Path(os.environ.get("EDINSIGHTS_NODE_MODULES") or PROJECT_NODE_MODULES)


def packaged() -> bool:
    """True when the package carries its own copy of Chart.js (it was built, not checked out)."""
    return (PACKAGED / CHART_JS).is_file()


def static_dirs() -> list[tuple[str, str]]:
    """STATICFILES_DIRS entries: `vendor/chart.js/...` from node_modules/chart.js/ unless packaged."""
    if packaged():
        return []  # the app's static/vendor/ already serves `vendor/chart.js/...`
    return [("vendor/chart.js", str(node_modules() / "chart.js"))]


@checks.register()
def chart_library_installed(app_configs, **kwargs) -> list[checks.CheckMessage]:  # type: ignore[no-untyped-def]
    if packaged() or (node_modules() / CHART_JS).is_file():
        return []
    return [
        checks.Error(
            f"Chart.js is not installed: neither this package's copy ({PACKAGED / CHART_JS})"
            f" nor {node_modules() / CHART_JS} exists",
            hint="In a checkout, run `npm ci` in the project directory (./dev does), or set"
            " EDINSIGHTS_NODE_MODULES; a wheel or sdist built from the project carries its own copy"
            " (docs/operations.md).",
            id="edinsights.E001",
        )
    ]
