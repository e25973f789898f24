"""The web side: health, sign-in, the event-store overview page, and gunicorn on loopback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from edinsights.config import Settings
from edinsights.events.store import EventStore
from tests.conftest import event_line, free_port, run_ingest, write_log


@pytest.fixture(scope="module")
def web(django_home: Settings):  # type: ignore[no-untyped-def]
    """The session's Django home with a few events ingested, and a signed-out client."""
    from django.test import Client

    from edinsights.web.server import demo_sign_in

    lines = [
        event_line(
            time=f"2024-02-0{day}T10:00:0{i}Z", context={"course_id": course, "user_id": user, "path": "/x"}
        )
        for day, course, user in [
            (1, "course-v1:edX+A+1", 5),
            (2, "course-v1:edX+A+1", 6),
            (2, "MITx/B/2", 5),
        ]
        for i in range(3)
    ]
    run_ingest(
        EventStore(django_home.store_path),
        write_log(django_home.home.parent / "logs" / "tracking.log", lines),
    )
    username, password = demo_sign_in(django_home)
    return Client(), username, password


def test_health(web) -> None:  # type: ignore[no-untyped-def]
    client, _, _ = web
    response = client.get("/health/")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "files_ingested": 1}


def test_store_page_needs_sign_in_and_shows_the_store(web) -> None:  # type: ignore[no-untyped-def]
    client, username, password = web
    assert client.get("/store/").status_code == 302
    assert client.post("/accounts/login/", {"username": username, "password": "wrong"}).status_code == 200
    response = client.post(
        "/accounts/login/", {"username": username, "password": password, "next": "/store/"}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "course-v1:edX+A+1" in page and "MITx/B/2" in page
    # 9 events, 2 learners, 2 courses; course A: 6 events of 2 learners.
    assert re.search(r"<strong>9</strong>\s*events", page)
    assert re.search(r"<strong>2</strong>\s*learners", page)
    assert re.search(r"course-v1:edX\+A\+1</th><td class=\"number\">6</td><td class=\"number\">2</td>", page)
    client.logout()


def test_demo_sign_in_is_stable(web, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings as django_settings

    from edinsights.web.server import demo_sign_in

    first = demo_sign_in(django_settings.EDINSIGHTS)
    assert demo_sign_in(django_settings.EDINSIGHTS) == first


@pytest.mark.live
def test_serve_runs_gunicorn_on_loopback(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "edinsights", "--home", str(tmp_path / "home"), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        deadline = time.monotonic() + 30
        body = None
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as response:
                    body = json.loads(response.read())
            except OSError:
                time.sleep(0.2)
        assert body == {"status": "ok", "files_ingested": 0}
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0].decode()
    assert "gunicorn" in output.lower()


def test_serve_refuses_to_start_without_chart_js(tmp_path: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "edinsights",
            "--home",
            str(tmp_path / "home"),
            "serve",
            "--port",
            str(free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "EDINSIGHTS_NODE_MODULES": str(tmp_path / "nowhere")},
    )
    assert completed.returncode == 1
    assert "Chart.js is not installed" in completed.stderr and "npm ci" in completed.stderr
    assert "Traceback" not in completed.stderr
