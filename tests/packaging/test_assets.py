"""Where the running app takes Chart.js from: the package's own copy first (a built package),
else node_modules/ (a checkout), else the system check edinsights.E001 stops `serve`."""

from __future__ import annotations

from pathlib import Path

import pytest

from edinsights.dashboard import assets


def place_chart_js(directory: Path) -> None:
    (directory / assets.CHART_JS).parent.mkdir(parents=True)
    (directory / assets.CHART_JS).write_text("window.Chart = {};")


@pytest.mark.parametrize(
    ("packaged", "in_node_modules", "served_from_node_modules", "error"),
    [
        pytest.param(True, True, False, False, id="built package, node_modules too: the package's copy"),
        pytest.param(True, False, False, False, id="built package: its copy"),
        pytest.param(False, True, True, False, id="checkout: node_modules"),
        pytest.param(False, False, True, True, id="neither: E001"),
    ],
)
def test_chart_js_source(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    packaged: bool,
    in_node_modules: bool,
    served_from_node_modules: bool,
    error: bool,
) -> None:
    vendor, node_modules = tmp_path / "static" / "vendor", tmp_path / "node_modules"
    vendor.mkdir(parents=True)
    node_modules.mkdir()
    if packaged:
        place_chart_js(vendor)
    if in_node_modules:
        place_chart_js(node_modules)
    monkeypatch.setattr(assets, "PACKAGED", vendor)
    monkeypatch.setenv("EDINSIGHTS_NODE_MODULES", str(node_modules))

    expected_dirs = [("vendor/chart.js", str(node_modules / "chart.js"))] if served_from_node_modules else []
    assert assets.static_dirs() == expected_dirs
    messages = assets.chart_library_installed(None)
    assert [message.id for message in messages] == (["edinsights.E001"] if error else [])
    if error:
        assert str(vendor / assets.CHART_JS) in messages[0].msg and "npm ci" in messages[0].hint
