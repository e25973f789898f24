"""edinsights.toml: the `[web]` section, and unusable settings as messages (not tracebacks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from edinsights.config import ConfigError, Settings


def test_web_hosts_are_read(tmp_path: Path) -> None:
    (tmp_path / "edinsights.toml").write_text('[web]\nhosts = ["insights.example.com", "10.0.0.5"]\n')
    assert Settings.load(tmp_path).hosts == ("insights.example.com", "10.0.0.5")
    assert Settings.load(tmp_path / "fresh").hosts == ()


@pytest.mark.parametrize("value", ['"insights.example.com"', "[1]", '[""]'])
def test_bad_web_hosts_name_the_setting(tmp_path: Path, value: str) -> None:
    (tmp_path / "edinsights.toml").write_text(f"[web]\nhosts = {value}\n")
    with pytest.raises(ConfigError, match=r"\[web\]: hosts must be a list of host names"):
        Settings.load(tmp_path)


def test_the_cli_reports_a_bad_config_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "edinsights.toml").write_text('[web]\nhosts = "oops"\n')
    completed = subprocess.run(
        [sys.executable, "-m", "edinsights", "--home", str(tmp_path), "serve", "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 1
    assert "Error: edinsights.toml [web]: hosts must be a list" in completed.stderr
    assert "Traceback" not in completed.stderr
