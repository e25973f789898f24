"""The `[sso]` section of edinsights.toml, the sign-in page without it, and the LMS-roles step."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from edinsights.config import CONFIG_NAME, ConfigError, Settings, SsoSettings


def load(home: Path, text: str) -> Settings:
    home.mkdir(parents=True, exist_ok=True)
    (home / CONFIG_NAME).write_text(text)
    return Settings.load(home)


def test_sso_is_off_by_default(tmp_path: Path) -> None:
    settings = Settings.load(tmp_path / "home")
    assert settings.sso is None
    # The default file documents the section, commented out.
    assert "# [sso]" in (tmp_path / "home" / CONFIG_NAME).read_text()


def test_the_sso_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EDINSIGHTS_SSO_CLIENT_SECRET", raising=False)
    settings = load(
        tmp_path,
        '[sso]\nlms_url = "http://lms:8000/"\npublic_lms_url = "https://lms.example.com/"\n'
        'client_id = "insights"\nclient_secret = "s3cret"\nlogout_url = "https://lms.example.com/logout"\n'
        "redirect_is_https = true\n",
    )
    assert settings.sso == SsoSettings(
        lms_url="http://lms:8000",  # no trailing slash: the backend appends /oauth2/...
        public_lms_url="https://lms.example.com",
        client_id="insights",
        client_secret="s3cret",
        logout_url="https://lms.example.com/logout",
        redirect_is_https=True,
    )
    monkeypatch.setenv("EDINSIGHTS_SSO_CLIENT_SECRET", "from-env")
    minimal = load(tmp_path, '[sso]\nlms_url = "https://lms.example.com"\nclient_id = "insights"\n')
    assert minimal.sso is not None and minimal.sso.client_secret == "from-env"
    assert minimal.sso.public_lms_url is None and minimal.sso.logout_url is None
    assert minimal.sso.redirect_is_https is False


@pytest.mark.parametrize(
    ("section", "error"),
    [
        ('client_id = "a"\nclient_secret = "b"', "lms_url is missing"),
        ('lms_url = "https://lms"\nclient_secret = "b"', "client_id is missing"),
        ('lms_url = "https://lms"\nclient_id = "a"\nclient_secret = ""', "client_secret is missing"),
        ('lms_url = "https://lms"\nclient_id = 7\nclient_secret = "b"', "client_id must be a string"),
        (
            'lms_url = "https://lms"\nclient_id = "a"\nclient_secret = "b"\nredirect_is_https = "yes"',
            "true or false",
        ),
        (
            'lms_url = "https://lms"\nclient_id = "a"\nclient_secret = "b"\nclient_key = "c"',
            "unknown key client_key",
        ),
    ],
)
def test_a_bad_sso_section_names_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, section: str, error: str
) -> None:
    monkeypatch.delenv("EDINSIGHTS_SSO_CLIENT_SECRET", raising=False)
    with pytest.raises(ConfigError, match=error):
        load(tmp_path, f"[sso]\n{section}\n")


def test_without_sso_the_sign_in_page_has_only_the_password_form(django_home: Settings) -> None:
    from django.test import Client

    client = Client()
    page = client.get("/accounts/login/").content.decode()
    assert 'name="password"' in page
    assert "Open edX" not in page and "edx-oauth2" not in page
    # The social-auth views answer, but know no backend to start.
    assert client.post("/login/edx-oauth2/").status_code in {403, 404}


def _user(**fields: bool) -> SimpleNamespace:
    saved: list[list[str]] = []
    user = SimpleNamespace(**fields, saved=saved)
    user.save = lambda update_fields: saved.append(update_fields)
    return user


def test_lms_roles_follow_the_claims() -> None:
    from edinsights.web.sso import lms_roles

    user = _user(is_staff=False, is_superuser=False)
    response = {"administrator": True, "superuser": False}
    lms_roles(None, {"is_staff": True, "is_superuser": False}, response, user)
    assert (user.is_staff, user.is_superuser, user.saved) == (True, False, [["is_staff", "is_superuser"]])

    demoted = _user(is_staff=True, is_superuser=True)
    lms_roles(
        None,
        {"is_staff": False, "is_superuser": False},
        {"administrator": False, "superuser": False},
        demoted,
    )
    assert (demoted.is_staff, demoted.is_superuser) == (False, False)

    # A token without the profile claims (no `profile` scope) changes nothing.
    kept = _user(is_staff=True, is_superuser=True)
    lms_roles(None, {"is_staff": False, "is_superuser": False}, {"preferred_username": "x"}, kept)
    assert (kept.is_staff, kept.is_superuser, kept.saved) == (True, True, [])
