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
    assert user.check_password("correct horse battery")
    assert not user.check_password("correct horse battery\n")
    assert not user.check_password("wrong")


@pytest.mark.parametrize(
    ("flags", "staff", "superuser", "role"),
    [(["--staff"], True, False, "staff"), (["--superuser"], True, True, "superuser")],
)
def test_staff_and_superuser(
    django_home: Settings, flags: list[str], staff: bool, superuser: bool, role: str
) -> None:
    username = f"cli-{role}"
    result = invoke(django_home, "create", username, *flags, "--password-stdin", stdin="pw-for-the-" + role)
    assert result.exit_code == 0, result.output
    assert f"({role})" in result.output
    user = stored(username)
    assert (user.is_staff, user.is_superuser) == (staff, superuser)


def test_an_existing_username_is_an_error(django_home: Settings) -> None:
    assert invoke(django_home, "create", "cli-bob", "--password-stdin", stdin="first of two\n").exit_code == 0
    result = invoke(
        django_home, "create", "cli-bob", "--superuser", "--password-stdin", stdin="second of two\n"
    )
    assert result.exit_code == 1
    assert result.output == "Error: user 'cli-bob' already exists\n"
    assert result.exception is None or isinstance(result.exception, SystemExit)
    # Nothing changed.
    assert stored("cli-bob").check_password("first of two")
    assert not stored("cli-bob").is_superuser


def test_bad_input_is_an_error(django_home: Settings) -> None:
    for arguments, stdin, message in [
        (["create", "cli bad"], "a good passphrase\n", "invalid username 'cli bad'"),
        (
            ["create", "cli-carol", "--email", "not-an-address"],
            "a good passphrase\n",
            "invalid e-mail address",
        ),
        (["create", "cli-carol"], "\n", "no password on standard input"),
    ]:
        result = invoke(django_home, *arguments, "--password-stdin", stdin=stdin)
        assert result.exit_code == 1 and message in result.output, (arguments, result.output)
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username__in=["cli bad", "cli-carol"]).exists()


def test_on_a_terminal_the_password_is_asked_twice(
    django_home: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import edinsights.cli

    monkeypatch.setattr(edinsights.cli, "_stdin_is_terminal", lambda: True)
    result = invoke(django_home, "create", "cli-dave", stdin="one\ntwo\ns3cret-s3cret\ns3cret-s3cret\n")
    assert result.exit_code == 0, result.output
    # Hidden input: the typed passwords are not echoed; a mismatch asks again.
    assert "s3cret" not in result.output and "Error: The two entered values do not match." in result.output
    assert stored("cli-dave").check_password("s3cret-s3cret")
    # Without a terminal and without --password-stdin there is nobody to ask.
    monkeypatch.setattr(edinsights.cli, "_stdin_is_terminal", lambda: False)
    result = invoke(django_home, "create", "cli-erin")
    assert result.exit_code == 1 and "give --password-stdin" in result.output


def test_list(django_home: Settings) -> None:
    invoke(
        django_home,
        "create",
        "cli-frank",
        "--email",
        "frank@example.org",
        "--password-stdin",
        stdin="franks-passphrase",
    )
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
            [*command, *arguments],
            input="an operator's passphrase\n",
            capture_output=True,
            text=True,
            timeout=120,
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


@pytest.mark.parametrize(
    ("username", "password", "reasons"),
    [
        ("cli-weak-a", "a", ["too short"]),
        ("cli-weak-common", "password123", ["too common"]),
        ("cli-weak-numeric", "4815162342", ["entirely numeric"]),
        ("cli-samename-1", "cli-samename-1", ["too similar to the username"]),
    ],
)
def test_weak_passwords_are_refused(
    django_home: Settings, username: str, password: str, reasons: list[str]
) -> None:
    result = invoke(django_home, "create", username, "--password-stdin", stdin=password + "\n")
    assert result.exit_code == 1
    # One line, "Error: password refused: <every reason>".
    assert result.output.startswith("Error: password refused: ") and result.output.count("\n") == 1
    for reason in reasons:
        assert reason in result.output, result.output
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username=username).exists()


def test_every_reason_is_listed(django_home: Settings) -> None:
    result = invoke(django_home, "create", "cli-weak-many", "--password-stdin", stdin="12345\n")
    assert result.exit_code == 1
    for reason in ("too short", "too common", "entirely numeric"):
        assert reason in result.output, result.output


def test_a_good_password_is_taken(django_home: Settings) -> None:
    result = invoke(django_home, "create", "cli-strong", "--password-stdin", stdin="plum tram 7 cello\n")
    assert result.exit_code == 0, result.output
    assert stored("cli-strong").check_password("plum tram 7 cello")


def test_deactivate_ends_sign_in_sessions_and_the_api_token(django_home: Settings) -> None:
    from django.test import Client

    password = "violet spoon 42 harbor"
    assert invoke(django_home, "create", "cli-leaver", "--password-stdin", stdin=password).exit_code == 0
    token_run = CliRunner().invoke(
        main, ["--home", str(django_home.home), "token", "create", "cli-leaver", "--all-courses"]
    )
    assert token_run.exit_code == 0, token_run.output
    token = token_run.output.strip().splitlines()[-1]
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    # A client address of its own: the sign-in throttling counts per address.
    browser = Client(REMOTE_ADDR="192.0.2.60")
    signed_in = browser.post("/accounts/login/", {"username": "cli-leaver", "password": password})
    assert signed_in.status_code == 302
    assert browser.get("/courses/").status_code == 200
    assert api.get("/api/v0/course_summaries/").status_code == 200

    result = invoke(django_home, "deactivate", "cli-leaver")
    assert result.exit_code == 0 and result.output == "cli-leaver is now deactivated\n", result.output
    assert not stored("cli-leaver").is_active
    # The open session reads nothing more, the token is refused, and signing in again fails.
    assert browser.get("/courses/")["Location"].startswith("/accounts/login/")
    assert api.get("/api/v0/course_summaries/").status_code == 401
    again = Client(REMOTE_ADDR="192.0.2.60")
    refused = again.post("/accounts/login/", {"username": "cli-leaver", "password": password})
    assert refused.status_code == 200 and "didn" in refused.content.decode()
    assert invoke(django_home, "deactivate", "cli-leaver").output == "cli-leaver was already deactivated\n"

    assert invoke(django_home, "activate", "cli-leaver").output == "cli-leaver is now active\n"
    assert api.get("/api/v0/course_summaries/").status_code == 200
    assert again.post("/accounts/login/", {"username": "cli-leaver", "password": password}).status_code == 302


def test_deactivating_an_unknown_user_is_an_error(django_home: Settings) -> None:
    for command in ("deactivate", "activate"):
        result = invoke(django_home, command, "cli-nobody-here")
        assert result.exit_code == 1 and result.output == "Error: no user 'cli-nobody-here'\n", result.output
