"""Behind a TLS proxy: `edinsights serve` believes X-Forwarded-Proto only from `[web] trusted_proxies`.

A real gunicorn (gunicorn, not Django's test client, decides the request's scheme). The "proxy"
connects from 127.0.0.2, a loopback address other than the server's own: a proxy on another
host, as far as gunicorn can tell. 127.0.0.1, which gunicorn trusts by default, is not trusted
here, so it stands for any other client.
"""

from __future__ import annotations

import html
import http.client
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest

from tests.conftest import serving

HOST = "insights.example.com"
PASSWORD = "proxy passphrase 61"
PROXY = "127.0.0.2"
ELSEWHERE = "127.0.0.1"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("proxy") / "home"
    home.mkdir()
    (home / "edinsights.toml").write_text(
        f'[web]\nhosts = ["{HOST}"]\nhttps = true\ntrusted_proxies = ["{PROXY}"]\n'
    )
    created = subprocess.run(
        [
            sys.executable,
            "-m",
            "edinsights",
            "--home",
            str(home),
            "user",
            "create",
            "proxied",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr
    with serving(home) as url:
        yield url


def request(
    url: str, source: str, method: str, path: str, headers: dict[str, str], body: str | None = None
) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=30, source_address=(source, 0)
    )
    connection.request(method, path, body=body, headers={"Host": HOST, **headers})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def sign_in(
    url: str, source: str, forwarded_proto: str
) -> tuple[http.client.HTTPResponse, http.client.HTTPResponse]:
    """A browser at https://HOST signing in through whatever connects from `source`."""
    proxy_headers = {"X-Forwarded-Proto": forwarded_proto, "X-Forwarded-For": "203.0.113.10"}
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=30, source_address=(source, 0)
    )
    connection.request("GET", "/accounts/login/", headers={"Host": HOST, **proxy_headers})
    form = connection.getresponse()
    page = form.read().decode()
    connection.close()
    token = html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))
    cookie = SimpleCookie()
    for header in form.headers.get_all("Set-Cookie") or []:
        cookie.load(header)
    body = f"csrfmiddlewaretoken={token}&username=proxied&password={PASSWORD.replace(' ', '+')}"
    posted = request(
        url,
        source,
        "POST",
        "/accounts/login/",
        {
            **proxy_headers,
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/accounts/login/",
            "Cookie": f"csrftoken={cookie['csrftoken'].value}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body,
    )
    return form, posted


@pytest.mark.live
def test_sign_in_through_a_trusted_tls_proxy(server: str) -> None:
    form, posted = sign_in(server, PROXY, "https")
    # Seen as https: HSTS on the answers, Secure cookies, and the sign-in passes the CSRF check.
    assert form.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Secure" in form.headers["Set-Cookie"]
    assert posted.status == 302, posted.status
    assert posted.headers["Location"] == "/courses/"
    session = [header for header in posted.headers.get_all("Set-Cookie") if header.startswith("sessionid=")]
    assert session and "Secure" in session[0] and "HttpOnly" in session[0]


@pytest.mark.live
def test_x_forwarded_proto_from_anyone_else_is_ignored(server: str) -> None:
    form, _ = sign_in(server, ELSEWHERE, "https")
    # The header was not believed: the request stayed plain http (no HSTS over http).
    assert "Strict-Transport-Security" not in form.headers
    answer = request(server, ELSEWHERE, "GET", "/health/", {"X-Forwarded-Proto": "https"})
    assert answer.status == 200 and "Strict-Transport-Security" not in answer.headers


@pytest.mark.live
def test_the_proxy_passes_the_client_address_to_the_sign_in_throttling(server: str) -> None:
    """Failures through the proxy lock the client (X-Forwarded-For), not the proxy itself."""
    parts = urlsplit(server)

    def attempt(client: str, guess: int) -> int:
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=30, source_address=(PROXY, 0)
        )
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": client}
        connection.request("GET", "/accounts/login/", headers=headers)
        form = connection.getresponse()
        page = form.read().decode()
        token = html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))
        cookie = SimpleCookie()
        for header in form.headers.get_all("Set-Cookie") or []:
            cookie.load(header)
        # A new name each time: only the address can reach the limit.
        body = f"csrfmiddlewaretoken={token}&username=nobody-{guess}&password=wrong"
        connection.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={
                **headers,
                "Origin": f"https://{HOST}",
                "Referer": f"https://{HOST}/accounts/login/",
                "Cookie": f"csrftoken={cookie['csrftoken'].value}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status

    statuses = [attempt("203.0.113.66", guess) for guess in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429], statuses
    # Another client through the same proxy is not locked.
    assert attempt("203.0.113.67", 10) == 200


def test_https_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What `[web] https = true` turns on, read from Django's settings in a process of their own."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "edinsights.toml").write_text('[web]\nhosts = ["a.example.com", "b.example.com"]\nhttps = true\n')
    show = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.CSRF_TRUSTED_ORIGINS)"
    )
    environment = {
        **os.environ,
        "EDINSIGHTS_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "edinsights.web.settings",
    }
    shown = subprocess.run([sys.executable, "-c", show], env=environment, capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "True True 31536000 ['https://a.example.com', 'https://b.example.com']"
    (home / "edinsights.toml").write_text('[web]\nhosts = ["a.example.com"]\n')
    shown = subprocess.run([sys.executable, "-c", show], env=environment, capture_output=True, text=True)
    assert shown.stdout.strip() == "False False 0 []"
