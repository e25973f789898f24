"""Secrets and learners' events are private: the home 0700, its secret files 0600 from the start."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from edinsights.config import CONFIG_NAME, Settings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():  # type: ignore[no-untyped-def]
    """The usual umask (022): what a file gets when its creator does not ask for less."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_home_and_its_files_are_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    completed = subprocess.run(
        [sys.executable, "-m", "edinsights", "--home", str(home), "migrate"],
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert completed.returncode == 0, completed.stderr
    assert mode(home) == 0o700
    for name in (CONFIG_NAME, "secret_key", "results.sqlite3"):
        assert mode(home / name) == 0o600, name

    # SQLite gives its WAL and shared-memory files the main file's mode.
    with closing(sqlite3.connect(home / "results.sqlite3")) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE probe (x)")
        connection.execute("INSERT INTO probe VALUES (1)")
        connection.commit()
        for suffix in ("-wal", "-shm"):
            assert mode(home / f"results.sqlite3{suffix}") == 0o600, suffix
    # And the rollback journal, outside WAL mode.
    with closing(sqlite3.connect(home / "results.sqlite3", isolation_level=None)) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("BEGIN")
        connection.execute("INSERT INTO probe VALUES (2)")
        assert mode(home / "results.sqlite3-journal") == 0o600
        connection.execute("COMMIT")


def test_secret_files_are_never_written_open_then_narrowed(tmp_path: Path, monkeypatch, open_umask) -> None:  # type: ignore[no-untyped-def]
    """No chmod after writing: there would be a moment when the file is readable by others."""
    from edinsights.web.settings import _secret_key

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a secret file was created open and then chmod-ed")

    monkeypatch.setattr(Path, "chmod", refuse)
    monkeypatch.setattr(os, "chmod", refuse)
    home = tmp_path / "home"
    settings = Settings.load(home)
    key = _secret_key(settings.home)
    assert mode(home / "secret_key") == 0o600 and len(key) > 40
    assert _secret_key(settings.home) == key  # made once, then kept


def test_the_demo_sign_in_is_private(django_home: Settings, monkeypatch, open_umask) -> None:  # type: ignore[no-untyped-def]
    from edinsights.web.server import demo_sign_in

    path = django_home.home / "demo" / "sign-in"
    if path.exists():
        path.unlink()
    monkeypatch.setattr(Path, "chmod", lambda *args: pytest.fail("chmod after writing"))
    _username, password = demo_sign_in(django_home)
    assert mode(path) == 0o600 and path.read_text() == password


def test_a_home_open_to_others_is_warned_about_once_and_left_as_it_is(
    tmp_path: Path, capsys, open_umask
) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "shared-home"
    home.mkdir(mode=0o755)
    Settings.load(home)
    Settings.load(home)
    warnings = [line for line in capsys.readouterr().err.splitlines() if line]
    assert warnings == [
        f"Warning: {home} can be read by other users (mode 0755); it holds secrets and learners'"
        f" events: chmod 700 {home}"
    ]
    assert mode(home) == 0o755  # the operator's choice is not changed behind their back
    assert mode(home / CONFIG_NAME) == 0o600


def test_a_private_home_gets_no_warning(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    Settings.load(tmp_path / "home")
    Settings.load(tmp_path / "home")
    assert capsys.readouterr().err == ""
