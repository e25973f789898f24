"""`edinsights user create` / `user list`: accounts that sign in with a password."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from edinsights.cli import main
from edinsights.config import Settings


def invoke(django_home: Settings, *arguments: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    # In-process, on the session's Django home (Django's settings are global to the process).
    return CliRunner().invoke(main, ["--home", str(django_home.home), "user", *arguments], input=stdin)


def stored(username: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_create_with_the_password_on_stdin(django_home: Settings) -> None:
    from django.contrib.auth import authenticate

    result = invoke(
        django_home,
        "create",
        "cli-alice",
        "--email",
        "alice@example.org",
        "--password-stdin",
        stdin="correct horse battery\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output == "created user cli-alice (reads granted courses only)\n"
    user = stored("cli-alice")
    assert user.email == "alice@example.org"
    assert not user.is_staff and not user.is_superuser and user.is_active
    # The password is the whole line without its end (spaces included), and it signs in.
    assert authenticate(username="cli-alice", password="correct horse battery") == user
    assert authenticate(username="cli-alice", password="correct horse battery\n") is None
    assert authenticate(username="cli-alice", password="wrong") is None


@pytest.mark.parametrize(
    ("flags", "staff", "superuser", "role"),
    [(["--staff"], True, False, "staff"), (["--superuser"], True, True, "superuser")],
)
def test_staff_and_superuser(
    django_home: Settings, flags: list[str], staff: bool, superuser: bool, role: str
) -> None:
    username = f"cli-{role}"
    result = invoke(django_home, "create", username, *flags, "--password-stdin", stdin="pw-" + role)
    assert result.exit_code == 0, result.output
    assert f"({role})" in result.output
    user = stored(username)
    assert (user.is_staff, user.is_superuser) == (staff, superuser)


def test_an_existing_username_is_an_error(django_home: Settings) -> None:
    from django.contrib.auth import authenticate

    assert invoke(django_home, "create", "cli-bob", "--password-stdin", stdin="first\n").exit_code == 0
    result = invoke(django_home, "create", "cli-bob", "--superuser", "--password-stdin", stdin="second\n")
    assert result.exit_code == 1
    assert result.output == "Error: user 'cli-bob' already exists\n"
    assert result.exception is None or isinstance(result.exception, SystemExit)
    # Nothing changed.
    assert authenticate(username="cli-bob", password="first") is not None
    assert not stored("cli-bob").is_superuser


def test_bad_input_is_an_error(django_home: Settings) -> None:
    for arguments, stdin, message in [
        (["create", "cli bad"], "pw\n", "invalid username 'cli bad'"),
        (["create", "cli-carol", "--email", "not-an-address"], "pw\n", "invalid e-mail address"),
        (["create", "cli-carol"], "\n", "no password on standard input"),
    ]:
        result = invoke(django_home, *arguments, "--password-stdin", stdin=stdin)
        assert result.exit_code == 1 and message in result.output, (arguments, result.output)
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username__in=["cli bad", "cli-carol"]).exists()


def test_on_a_terminal_the_password_is_asked_twice(
    django_home: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.contrib.auth import authenticate

    import edinsights.cli

    monkeypatch.setattr(edinsights.cli, "_stdin_is_terminal", lambda: True)
    result = invoke(django_home, "create", "cli-dave", stdin="one\ntwo\ns3cret\ns3cret\n")
    assert result.exit_code == 0, result.output
    # Hidden input: the typed passwords are not echoed; a mismatch asks again.
    assert "s3cret" not in result.output and "Error: The two entered values do not match." in result.output
    assert authenticate(username="cli-dave", password="s3cret") == stored("cli-dave")
    # Without a terminal and without --password-stdin there is nobody to ask.
    monkeypatch.setattr(edinsights.cli, "_stdin_is_terminal", lambda: False)
    result = invoke(django_home, "create", "cli-erin")
    assert result.exit_code == 1 and "give --password-stdin" in result.output


def test_list(django_home: Settings) -> None:
    invoke(django_home, "create", "cli-frank", "--email", "frank@example.org", "--password-stdin", stdin="pw")
    assert (
        CliRunner()
        .invoke(main, ["--home", str(django_home.home), "grant", "cli-frank", "MITx/B/2"])
        .exit_code
        == 0
    )
    result = invoke(django_home, "list")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split() for line in result.output.splitlines()[1:]}
    assert rows["cli-frank"] == ["cli-frank", "frank@example.org", "-", "password", "MITx/B/2"]
    assert rows["cli-superuser"][2:] == ["superuser", "password", "all"]


def test_the_real_command(tmp_path: Path) -> None:
    """As an operator runs it: a fresh home, the password piped in, a duplicate without a traceback."""
    command = [sys.executable, "-m", "edinsights", "--home", str(tmp_path / "home"), "user", "create"]

    def run(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, *arguments], input="pw\n", capture_output=True, text=True, timeout=120
        )

    created = run("ops", "--superuser", "--password-stdin")
    assert created.returncode == 0, created.stderr
    assert created.stdout == "created user ops (superuser)\n"
    again = run("ops", "--password-stdin")
    assert again.returncode == 1
    assert again.stderr == "Error: user 'ops' already exists\n"
    # Piped standard input is no terminal: without --password-stdin it says what to do.
    no_flag = run("ops2")
    assert no_flag.returncode == 1 and "give --password-stdin" in no_flag.stderr
