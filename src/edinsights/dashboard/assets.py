"""The dashboard's JavaScript libraries: npm packages, served as static files (no CDN).

`./dev` runs `npm ci`, which puts them in the project's `node_modules/`; an installation
elsewhere points `EDINSIGHTS_NODE_MODULES` at its own `node_modules/`. A system check says
clearly when they are missing instead of a page with no charts.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core import checks

PROJECT_NODE_MODULES = Path(__file__).resolve().parents[3] / "node_modules"

CHART_JS = "chart.js/dist/chart.umd.min.js"
"""Chart.js's browser build (UMD: defines the global `Chart`)."""


def node_modules() -> Path:
    return Path(os.environ.get("EDINSIGHTS_NODE_MODULES") or PROJECT_NODE_MODULES)


def static_dirs() -> list[tuple[str, str]]:
    """STATICFILES_DIRS entries: `vendor/chart.js/...` is served from node_modules/chart.js/."""
    return [("vendor/chart.js", str(node_modules() / "chart.js"))]


@checks.register()
def chart_library_installed(app_configs, **kwargs) -> list[checks.CheckMessage]:  # type: ignore[no-untyped-def]
    if (node_modules() / CHART_JS).is_file():
        return []
    return [
        checks.Error(
            f"Chart.js is not installed: {node_modules() / CHART_JS} is missing",
            hint="Run `npm ci` in the project directory (./dev does), or set EDINSIGHTS_NODE_MODULES.",
            id="edinsights.E001",
        )
    ]
