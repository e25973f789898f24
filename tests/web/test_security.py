"""Security of the web side (issue 13): the event-store page is staff only, failed sign-ins are
throttled per account and per address, passwords follow the validators in every form, and every
response carries the security headers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from edinsights.config import Settings
from edinsights.events.overview import overview
from edinsights.events.store import EventStore
from tests.conftest import event_line, run_ingest, write_log

PASSWORD = "amber kettle 93 lantern"
COURSES = ("course-v1:SecX+Store+1", "course-v1:SecX+Other+2")


@pytest.fixture(scope="module")
def people(django_home: Settings) -> dict[str, str]:
    """Accounts: staff, one granted the first course, one with no grant, a superuser."""
    from django.contrib.auth import get_user_model

    from edinsights.api.tokens import grant

    users = get_user_model().objects
    for name, staff, superuser in [
        ("sec-staff", True, False),
        ("sec-scoped", False, False),
        ("sec-bystander", False, False),
        ("sec-admin", True, True),
    ]:
        if not users.filter(username=name).exists():
            users.create_user(name, password=PASSWORD, is_staff=staff, is_superuser=superuser)
    grant("sec-scoped", [COURSES[0]], False)
    return {"password": PASSWORD}


@pytest.fixture(autouse=True)
def _no_lockouts_left() -> Iterator[None]:
    """Each test starts and ends with no failed sign-ins counted (other tests sign in too)."""
    from axes.utils import reset

    reset()
    yield
    reset()


def signed_in(username: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


# --- /store/ -------------------------------------------------------------------------------------


def test_the_store_page_is_staff_only(people, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from django.conf import settings

    # An event store of its own (the session's is other tests' business): two courses.
    store = EventStore(Settings.load(tmp_path / "home").store_path)
    lines = [
        event_line(context={"course_id": course, "user_id": user, "path": "/x"})
        for course in COURSES
        for user in (1, 2)
    ]
    run_ingest(store, write_log(tmp_path / "sec.log", lines))
    monkeypatch.setattr(settings, "EDINSIGHTS", replace(settings.EDINSIGHTS, store_path=store.root))
    every_course = [course.course_id for course in overview(store).courses]
    assert sorted(every_course) == sorted(COURSES)

    staff = signed_in("sec-staff").get("/store/")
    assert staff.status_code == 200
    assert all(course in staff.content.decode() for course in every_course)

    # A course-scoped account: forbidden, and not one course id (not even its own) in the page.
    scoped = signed_in("sec-scoped").get("/store/")
    assert scoped.status_code == 403
    page = scoped.content.decode()
    assert "Not allowed" in page
    assert not [course for course in every_course if course in page]


# --- sign-in throttling --------------------------------------------------------------------------


def fail(client, url: str, username: str, times: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "not-the-password"})
        assert response.status_code in {200, 429}


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_failed_sign_ins_lock_the_account(people, url: str) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    attacker = Client(REMOTE_ADDR="198.51.100.7")
    fail(attacker, url, "sec-admin", 25)
    # The right password now is refused too, with the lockout page rather than a sign-in.
    locked = attacker.post(url, {"username": "sec-admin", "password": PASSWORD})
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in locked" in page and "After 5 failed sign-ins" in page and "in 15 minutes" in page
    assert "_auth_user_id" not in attacker.session
    # From another address the same account is locked as well (the count is per account) ...
    elsewhere = Client(REMOTE_ADDR="198.51.100.8")
    assert elsewhere.post(url, {"username": "sec-admin", "password": PASSWORD}).status_code == 429
    # ... while another account from another address signs in.
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert other.post(url, {"username": "sec-staff", "password": PASSWORD}).status_code == 302


def test_failures_from_one_address_lock_that_address(people) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    spray = Client(REMOTE_ADDR="198.51.100.20")
    for number in range(5):  # one guess each at many names: no account reaches the limit
        fail(spray, "/accounts/login/", f"guess-{number}", 1)
    right = {"username": "sec-bystander", "password": PASSWORD}
    assert spray.post("/accounts/login/", right).status_code == 429
    assert Client(REMOTE_ADDR="198.51.100.21").post("/accounts/login/", right).status_code == 302


def test_x_forwarded_for_from_a_client_is_not_believed(people) -> None:  # type: ignore[no-untyped-def]
    """No trusted proxy is configured: a client cannot escape its lock by naming another address."""
    from django.test import Client

    attacker = Client(REMOTE_ADDR="198.51.100.30")
    fail(attacker, "/accounts/login/", "guess-x", 5)
    spoofed = attacker.post(
        "/accounts/login/",
        {"username": "sec-bystander", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert spoofed.status_code == 429


def test_client_ip_behind_a_trusted_proxy(django_home: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from django.conf import settings
    from django.test import RequestFactory

    from edinsights.web.security import client_ip

    trusted = replace(settings.EDINSIGHTS, trusted_proxies=("10.0.0.5", "10.1.0.0/16"))
    monkeypatch.setattr(settings, "EDINSIGHTS", trusted)
    factory = RequestFactory()

    def ip(remote: str, forwarded: str | None = None) -> str:
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return client_ip(factory.get("/", REMOTE_ADDR=remote, **extra))

    assert ip("10.0.0.5", "203.0.113.4") == "203.0.113.4"
    # The right-most address the trusted proxies did not write; what the client wrote is ignored.
    assert ip("10.0.0.5", "1.2.3.4, 203.0.113.4, 10.1.2.3") == "203.0.113.4"
    assert ip("10.0.0.5") == "10.0.0.5"
    assert ip("192.0.2.1", "203.0.113.4") == "192.0.2.1"


def test_the_lock_lifts_after_the_cool_off(people) -> None:  # type: ignore[no-untyped-def]
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.test import Client

    client = Client(REMOTE_ADDR="198.51.100.40")
    fail(client, "/accounts/login/", "sec-staff", 6)
    right = {"username": "sec-staff", "password": PASSWORD}
    assert client.post("/accounts/login/", right).status_code == 429
    # Time moves on: the failures now lie just beyond the cool-off.
    past = settings.AXES_COOLOFF_TIME + timedelta(seconds=5)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= past
        attempt.save()
    assert client.post("/accounts/login/", right).status_code == 302


def test_an_administrator_unlocks_an_account(people, django_home: Settings) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner
    from django.test import Client

    from edinsights.cli import main

    client = Client(REMOTE_ADDR="198.51.100.50")
    fail(client, "/accounts/login/", "sec-staff", 5)
    right = {"username": "sec-staff", "password": PASSWORD}
    assert Client(REMOTE_ADDR="198.51.100.51").post("/accounts/login/", right).status_code == 429
    result = CliRunner().invoke(main, ["--home", str(django_home.home), "user", "unlock", "sec-staff"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("unlocked sec-staff (")
    assert Client(REMOTE_ADDR="198.51.100.51").post("/accounts/login/", right).status_code == 302


def test_unlocking_an_address(people, django_home: Settings) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner
    from django.test import Client

    from edinsights.cli import main

    spray = Client(REMOTE_ADDR="198.51.100.60")
    for number in range(5):
        fail(spray, "/accounts/login/", f"guess-{number}", 1)
    right = {"username": "sec-bystander", "password": PASSWORD}
    assert spray.post("/accounts/login/", right).status_code == 429
    arguments = ["--home", str(django_home.home), "user", "unlock", "guess-0", "--address", "198.51.100.60"]
    assert CliRunner().invoke(main, arguments).exit_code == 0
    assert spray.post("/accounts/login/", right).status_code == 302


def test_the_api_token_is_not_throttled_by_sign_in_locks(people) -> None:  # type: ignore[no-untyped-def]
    """A locked account's token still reads the API: tokens are not passwords to guess."""
    from django.test import Client

    from edinsights.api.tokens import create_token, revoke_tokens

    token = create_token("sec-scoped", [COURSES[0]], False)
    fail(Client(REMOTE_ADDR="127.0.0.1"), "/accounts/login/", "sec-scoped", 6)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v0/course_summaries/").status_code == 200
    revoke_tokens("sec-scoped")


# --- passwords in the admin ----------------------------------------------------------------------


def test_the_admin_forms_apply_the_password_validators(people) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    admin = signed_in("sec-admin")
    weak = admin.post(
        "/admin/auth/user/add/",
        {"username": "sec-made-in-admin", "password1": "a", "password2": "a", "usable_password": "true"},
    )
    assert weak.status_code == 200 and "too short" in weak.content.decode()
    assert not get_user_model().objects.filter(username="sec-made-in-admin").exists()

    target = get_user_model().objects.get(username="sec-bystander")
    change = f"/admin/auth/user/{target.pk}/password/"
    common = admin.post(change, {"password1": "password123", "password2": "password123"})
    assert common.status_code == 200 and "too common" in common.content.decode()
    target.refresh_from_db()
    assert target.check_password(PASSWORD)
    good = admin.post(change, {"password1": "a new 77 passphrase", "password2": "a new 77 passphrase"})
    assert good.status_code == 302
    target.set_password(PASSWORD)
    target.save()


# --- headers -------------------------------------------------------------------------------------


def test_every_page_has_the_content_security_policy(people) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    staff = signed_in("sec-admin")
    for client, url in [
        (Client(), "/accounts/login/"),
        (Client(), "/admin/login/"),
        (staff, "/courses/"),
        (staff, f"/courses/{COURSES[0]}/"),
        (staff, "/store/"),
        (staff, "/admin/"),
        (staff, "/api/docs/"),
        (staff, "/api/redoc/"),
        (staff, "/api/v0/course_summaries/"),
    ]:
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'", (url, policy)
        # Redoc alone styles itself inline at run time (edinsights.web.urls).
        style = "'self' 'unsafe-inline'" if url == "/api/redoc/" else "'self'"
        assert directives["style-src"] == style, (url, policy)
        assert directives["default-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["form-action"] == "'self'"
        assert directives["base-uri"] == "'self'"


def test_data_is_never_cached(people) -> None:  # type: ignore[no-untyped-def]
    staff = signed_in("sec-admin")
    for url in [
        "/courses/",
        "/courses/?format=csv",
        f"/courses/{COURSES[0]}/",
        "/store/",
        "/api/v0/course_summaries/",
        "/api/v0/course_summaries/?format=csv",
        "/accounts/login/",
    ]:
        directives = {part.strip() for part in staff.get(url)["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, (url, directives)
    # Static files keep WhiteNoise's caching.
    static = staff.get("/static/dashboard/dashboard.css")
    assert static.status_code == 200 and "no-store" not in static.get("Cache-Control", "")


def test_plain_http_by_default(people) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    assert not settings.SESSION_COOKIE_SECURE and not settings.CSRF_COOKIE_SECURE
    assert not settings.SECURE_HSTS_SECONDS
    response = signed_in("sec-staff").get("/courses/", secure=True)
    assert "Strict-Transport-Security" not in response


def test_unlock_with_a_bad_address_is_an_error(django_home: Settings) -> None:
    from click.testing import CliRunner

    from edinsights.cli import main

    arguments = ["--home", str(django_home.home), "user", "unlock", "someone", "--address", "10.0.0.999"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 1 and result.output == "Error: not an IP address: '10.0.0.999'\n"
