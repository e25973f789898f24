"""Single sign-on end to end: a browser-like session signs in to a live `edinsights serve` through a
stand-in Open edX LMS (django-oauth-toolkit on loopback, tests/sso/lms) and the authorization code
grant, exactly as it would through a real LMS: no part of edinsights or the backend is mocked."""

from __future__ import annotations

import html
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port, running, serving

# Serves a stand-in LMS and two `edinsights serve`.
pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "edinsights-sso-test"
CLIENT_SECRET = "a-client-secret-for-the-test"
PASSWORD = "lms-password-1"

LMS_USERS = [
    {
        "username": "lms_admin",
        "email": "admin@lms.example",
        "first_name": "Ada",
        "last_name": "Admin",
        "is_staff": True,
        "is_superuser": False,
    },
    {
        "username": "lms_learner",
        "email": "learner@lms.example",
        "first_name": "Lee",
        "last_name": "Learner",
        "is_staff": False,
        "is_superuser": False,
    },
]


@dataclass
class Lms:
    url: str
    environment: dict[str, str]

    def provision(self, **spec: object) -> None:
        """Create or update accounts and OAuth2 clients in the stand-in LMS's database."""
        completed = subprocess.run(
            [sys.executable, "-m", "tests.sso.lms.provision", json.dumps(spec)],
            env={**os.environ, **self.environment},
            capture_output=True,
            text=True,
        )
        assert completed.returncode == 0, completed.stderr


@dataclass
class Edinsights:
    url: str
    home: Path

    def account(self, username: str) -> dict | None:
        """The Django account as stored in the result store (read directly, not through edinsights)."""
        with sqlite3.connect(self.home / "results.sqlite3") as connection:
            connection.row_factory = sqlite3.Row
            row = connection.execute(
                "SELECT username, email, first_name, last_name, is_staff, is_superuser, password"
                " FROM auth_user WHERE username = ?",
                (username,),
            ).fetchone()
        return dict(row) if row else None


def write_home(home: Path, lms_url: str, client_secret: str) -> Path:
    home.mkdir(parents=True)
    (home / "edinsights.toml").write_text(
        f'[sso]\nlms_url = "{lms_url}"\nclient_id = "{CLIENT_ID}"\nclient_secret = "{client_secret}"\n'
    )
    return home


@pytest.fixture(scope="module")
def sso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lms, Edinsights, Edinsights]]:
    """The stand-in LMS, an edinsights registered with it, and one configured with a wrong secret."""
    root = tmp_path_factory.mktemp("sso")
    lms_port = free_port()
    lms_url = f"http://127.0.0.1:{lms_port}"
    lms = Lms(
        url=lms_url,
        environment={
            "DJANGO_SETTINGS_MODULE": "tests.sso.lms.settings",
            "PYTHONPATH": str(ROOT),
            "LMS_DATABASE": str(root / "lms.sqlite3"),
        },
    )
    good_home = write_home(root / "good", lms_url, CLIENT_SECRET)
    bad_home = write_home(root / "bad", lms_url, "not-the-secret")
    with serving(good_home) as good_url, serving(bad_home) as bad_url:
        # Both edinsights use the same client id: the second simply does not know its secret.
        # Loopback redirect URIs match on any port (RFC 8252), so one registration serves both.
        lms.provision(
            users=[{**user, "password": PASSWORD} for user in LMS_USERS],
            clients=[
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uri": f"{good_url}/complete/edx-oauth2/",
                }
            ],
        )
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "tests.sso.lms.wsgi:application",
            "--bind",
            f"127.0.0.1:{lms_port}",
            "--workers",
            "2",
        ]
        with running(gunicorn, f"{lms_url}/login/", "stand-in LMS", lms.environment):
            yield lms, Edinsights(good_url, good_home), Edinsights(bad_url, bad_home)


def form(page: str, marker: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the first <form> whose opening tag contains `marker`."""
    match = re.search(r"<form\b[^>]*" + re.escape(marker) + r"[^>]*>(.*?)</form>", page, re.S)
    assert match, f"no form with {marker!r} in:\n{page}"
    action = re.search(r'action="([^"]*)"', match.group(0))
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', match.group(1)))
    return html.unescape(action.group(1)) if action else "", {k: html.unescape(v) for k, v in fields.items()}


def sign_in_through_lms(
    edinsights: Edinsights, lms: Lms, username: str, password: str = PASSWORD
) -> tuple[requests.Session, requests.Response]:
    """What a person does in a browser: edinsights' sign-in page → "Sign in with Open edX" → the LMS's
    sign-in page → back to edinsights. Returns the session and the last page."""
    session = requests.Session()
    page = session.get(f"{edinsights.url}/accounts/login/?next=/api/v0/authenticated", timeout=30)
    assert page.status_code == 200
    assert "Sign in with Open edX" in page.text
    action, fields = form(page.text, 'class="sso"')
    assert action == "/login/edx-oauth2/"
    assert fields["next"] == "/api/v0/authenticated"

    # Starting the sign-in sends the browser to the LMS's authorize endpoint, which asks for a sign-in.
    at_lms = session.post(edinsights.url + action, data=fields, timeout=30)
    assert at_lms.url.startswith(f"{lms.url}/login/"), at_lms.url
    authorize = at_lms.history[0].headers["Location"]
    assert authorize.startswith(f"{lms.url}/oauth2/authorize?"), authorize
    assert f"client_id={CLIENT_ID}" in authorize
    assert "redirect_uri=" in authorize and "state=" in authorize

    lms_action, lms_fields = form(at_lms.text, 'method="post"')
    return session, session.post(
        requests.compat.urljoin(at_lms.url, lms_action),
        data={**lms_fields, "username": username, "password": password},
        timeout=30,
    )


def test_an_lms_administrator_signs_in_as_staff(sso) -> None:  # type: ignore[no-untyped-def]
    lms, edinsights, _ = sso
    session, last = sign_in_through_lms(edinsights, lms, "lms_admin")
    # LMS sign-in → authorize (skipped consent) → /complete/edx-oauth2/ → the `next` page, signed in.
    assert last.status_code == 200, last.text
    assert last.url == f"{edinsights.url}/api/v0/authenticated"
    visited = [response.url for response in last.history]
    assert any(url.startswith(f"{edinsights.url}/complete/edx-oauth2/?code=") for url in visited), visited
    assert session.get(f"{edinsights.url}/api/v0/authenticated", timeout=30).status_code == 200
    assert session.get(f"{edinsights.url}/store/", timeout=30).status_code == 200  # LMS staff: staff here

    account = edinsights.account("lms_admin")
    assert account is not None
    assert account["email"] == "admin@lms.example"
    assert (account["first_name"], account["last_name"]) == ("Ada", "Admin")
    assert account["is_staff"] == 1 and account["is_superuser"] == 0
    # No password here: the account signs in through the LMS only.
    assert account["password"].startswith("!")


def test_an_lms_learner_signs_in_without_staff(sso) -> None:  # type: ignore[no-untyped-def]
    lms, edinsights, _ = sso
    session, last = sign_in_through_lms(edinsights, lms, "lms_learner")
    assert last.status_code == 200 and last.url == f"{edinsights.url}/api/v0/authenticated"
    account = edinsights.account("lms_learner")
    assert account is not None and account["email"] == "learner@lms.example"
    assert account["is_staff"] == 0 and account["is_superuser"] == 0
    # Signed in, but not staff: the Data API answers, with no course to read (none granted).
    summaries = session.get(f"{edinsights.url}/api/v0/course_summaries/", timeout=30)
    assert summaries.status_code == 200 and summaries.json() == []
    # Nor does the event-store overview (every course id with its counts) open: staff only.
    store = session.get(f"{edinsights.url}/store/", timeout=30)
    assert store.status_code == 403 and "Not allowed" in store.text


def test_the_lms_decides_staff_at_every_sign_in(sso) -> None:  # type: ignore[no-untyped-def]
    lms, edinsights, _ = sso
    promoted = {**LMS_USERS[1], "password": PASSWORD, "is_staff": True, "email": "new@lms.example"}
    lms.provision(users=[promoted])
    try:
        sign_in_through_lms(edinsights, lms, "lms_learner")
        account = edinsights.account("lms_learner")
        assert account is not None and account["is_staff"] == 1
        assert account["email"] == "new@lms.example"  # the LMS's address is the current one
    finally:
        lms.provision(users=[{**LMS_USERS[1], "password": PASSWORD}])
    sign_in_through_lms(edinsights, lms, "lms_learner")
    account = edinsights.account("lms_learner")
    assert account is not None and account["is_staff"] == 0


def test_a_wrong_lms_password_stays_at_the_lms(sso) -> None:  # type: ignore[no-untyped-def]
    lms, edinsights, _ = sso
    session, last = sign_in_through_lms(edinsights, lms, "lms_admin", "wrong")
    assert last.url.startswith(f"{lms.url}/login/") and "Wrong username or password" in last.text
    assert session.get(f"{edinsights.url}/api/v0/authenticated", timeout=30).status_code in {401, 403}


def test_a_wrong_client_secret_fails_with_a_message(sso) -> None:  # type: ignore[no-untyped-def]
    lms, _, misconfigured = sso
    session, last = sign_in_through_lms(misconfigured, lms, "lms_learner")
    # The LMS refuses the token exchange; edinsights sends the person back to its sign-in page
    # with a message instead of a server error, and nobody is signed in.
    assert all(response.status_code < 500 for response in [*last.history, last])
    assert last.status_code == 200
    assert last.url.startswith(f"{misconfigured.url}/accounts/login/")
    alert = re.search(r'<p role="alert">([^<]*)</p>', last.text)
    assert alert, last.text
    assert html.unescape(alert.group(1)) == (
        "Sign-in with Open edX failed: Authentication configuration is invalid. An administrator"
        " should check [sso] in edinsights.toml and the LMS's OAuth2 client."
    )
    assert session.get(f"{misconfigured.url}/api/v0/authenticated", timeout=30).status_code in {401, 403}
    assert misconfigured.account("lms_learner") is None


def test_signing_out_and_in_again(sso) -> None:  # type: ignore[no-untyped-def]
    lms, edinsights, _ = sso
    session, _ = sign_in_through_lms(edinsights, lms, "lms_admin")
    page = session.get(f"{edinsights.url}/accounts/login/", timeout=30)
    _, fields = form(page.text, 'class="sso"')
    signed_out = session.post(
        f"{edinsights.url}/accounts/logout/",
        data={"csrfmiddlewaretoken": fields["csrfmiddlewaretoken"]},
        timeout=30,
    )
    assert signed_out.status_code == 200
    assert session.get(f"{edinsights.url}/api/v0/authenticated", timeout=30).status_code in {401, 403}
    # Still signed in at the LMS: the next "Sign in with Open edX" needs no password there.
    page = session.get(f"{edinsights.url}/accounts/login/?next=/api/v0/authenticated", timeout=30)
    action, fields = form(page.text, 'class="sso"')
    back = session.post(edinsights.url + action, data=fields, timeout=30)
    assert back.status_code == 200 and back.url == f"{edinsights.url}/api/v0/authenticated", back.text


def test_a_locked_out_address_cannot_sign_in_through_the_lms_either(sso) -> None:  # type: ignore[no-untyped-def]
    """django-axes guards single sign-on too: from a locked address, the lockout page, no 500."""
    lms, edinsights, _ = sso
    session = requests.Session()
    for guess in range(5):
        page = session.get(f"{edinsights.url}/accounts/login/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        session.post(
            f"{edinsights.url}/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": f"guess-{guess}", "password": "wrong"},
            timeout=30,
        )
    try:
        _, last = sign_in_through_lms(edinsights, lms, "lms_admin")
        assert last.status_code == 429 and "Sign-in locked" in last.text, (last.status_code, last.url)
        assert last.url.startswith(f"{edinsights.url}/complete/edx-oauth2/")
    finally:
        unlock = ["user", "unlock", "guess-0", "--address", "127.0.0.1"]
        unlocked = subprocess.run(
            [sys.executable, "-m", "edinsights", "--home", str(edinsights.home), *unlock],
            capture_output=True,
            text=True,
        )
        assert unlocked.returncode == 0, unlocked.stderr
    _, last = sign_in_through_lms(edinsights, lms, "lms_admin")
    assert last.status_code == 200 and last.url == f"{edinsights.url}/api/v0/authenticated"
