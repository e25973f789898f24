"""edinsights.toml: the `[web]` section, and unusable settings as messages (not tracebacks)."""

from __future__ import annotations

import re
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


def test_web_security_settings_are_read(tmp_path: Path) -> None:
    defaults = Settings.load(tmp_path / "fresh")
    assert (defaults.https, defaults.trusted_proxies) == (False, ())
    assert (defaults.sign_in_failures, defaults.sign_in_lockout_minutes) == (5, 15)
    (tmp_path / "edinsights.toml").write_text(
        '[web]\nhttps = true\ntrusted_proxies = ["10.0.0.5", "fd00::/64"]\n'
        "sign_in_failures = 10\nsign_in_lockout_minutes = 0.5\n"
    )
    settings = Settings.load(tmp_path)
    assert settings.https is True and settings.trusted_proxies == ("10.0.0.5", "fd00::/64")
    assert (settings.sign_in_failures, settings.sign_in_lockout_minutes) == (10, 0.5)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('https = "yes"', "https must be true or false"),
        ('trusted_proxies = "10.0.0.5"', "trusted_proxies must be a list of IP addresses or networks"),
        ('trusted_proxies = ["proxy.example.com"]', "'proxy.example.com' is not one"),
        ('trusted_proxies = ["10.0.0.5/24"]', "'10.0.0.5/24' is not one"),
        ("sign_in_failures = 0", "sign_in_failures must be a whole number of at least 1"),
        ("sign_in_failures = true", "sign_in_failures must be a whole number"),
        ("sign_in_failures = 2.5", "sign_in_failures must be a whole number"),
        ("sign_in_lockout_minutes = 0", "sign_in_lockout_minutes must be a number above 0"),
        ('sign_in_lockout_minutes = "15"', "sign_in_lockout_minutes must be a number above 0"),
    ],
)
def test_bad_web_security_settings_name_the_setting(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "edinsights.toml").write_text(f"[web]\n{line}\n")
    with pytest.raises(ConfigError, match=re.escape(message)) as raised:
        Settings.load(tmp_path)
    assert str(raised.value).startswith("edinsights.toml [web]: ")
