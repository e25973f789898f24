"""Shared fixtures: a fresh edinsights home per test and helpers to ingest and read back."""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import pytest

from edinsights.config import Settings
from edinsights.events.ingest import IngestSummary, ingest
from edinsights.events.store import EventStore
from edinsights.results import scratch


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def store(home: Path) -> EventStore:
    return EventStore(Settings.load(home).store_path)


def write_log(path: Path, lines: list[str], *, compress: bool | None = None) -> Path:
    """Write lines as a log file; gzip when the name ends in .gz (or `compress` says so)."""
    data = ("\n".join(lines) + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    if compress or (compress is None and path.name.endswith(".gz")):
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def run_ingest(store: EventStore, *paths: Path | str, workers: int | None = 1) -> IngestSummary:
    return ingest([str(path) for path in paths], store, workers=workers)


def stored_events(store: EventStore, where: str = "true") -> list[dict]:
    """All stored events as dicts (with `dt`), ordered by source file and line."""
    if not list(store.events_dir.glob("*/*.parquet")):
        return []
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    relation = connection.sql(
        f"SELECT * FROM read_parquet('{store.events_glob()}', hive_partitioning = true)"
        f" WHERE {where} ORDER BY source_file, source_line"
    )
    columns = relation.columns
    return [dict(zip(columns, row, strict=True)) for row in relation.fetchall()]


def quarantined(store: EventStore) -> list[dict]:
    if not list(store.quarantine_dir.glob("*.parquet")):
        return []
    relation = duckdb.sql(
        f"SELECT * FROM read_parquet('{store.quarantine_glob()}') ORDER BY source_file, line_no"
    )
    return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


def event_line(**fields: object) -> str:
    """A minimal valid server event, with `fields` overriding or adding keys."""
    event = {
        "username": "learner",
        "event_source": "server",
        "event_type": "edx.test.event",
        "time": "2024-01-04T09:01:10.123456+00:00",
        "context": {"course_id": "course-v1:edX+DemoX+2024", "user_id": 5, "org_id": "edX", "path": "/x"},
        "event": {},
        "host": "lms.example.com",
        "ip": "203.0.113.7",
        "agent": "Mozilla/5.0",
        "page": None,
        "session": "0123456789abcdef",
    }
    event.update(fields)
    return json.dumps(event)


@pytest.fixture(scope="session")
def django_home(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Django set up once per test session, on a home of its own (Django's settings are global)."""
    from edinsights.web.server import setup_django

    settings = Settings.load(tmp_path_factory.mktemp("django") / "home")
    setup_django(settings)
    return settings


# A fresh result-store database per backend: SQLite, MariaDB and PostgreSQL, created and dropped
# here. MariaDB (127.0.0.1:3306, root) and PostgreSQL (127.0.0.1:5432, postgres) must be running;
# `.ci/run` starts them. A missing server fails the tests (it is never a silent skip).
@pytest.fixture(params=scratch.BACKENDS, scope="module")
def result_db(request: pytest.FixtureRequest, django_home, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The Django alias of a freshly created and migrated result store on one backend."""
    from django.core.management import call_command
    from django.db import connections

    from edinsights.results.database import database_settings

    backend = request.param
    name = scratch.new_name("edinsights_test")
    url = scratch.create(backend, name, tmp_path_factory.mktemp(backend))
    alias = f"results_{backend}_{name}"
    # configure_settings fills in Django's defaults for the new alias.
    configured = connections.configure_settings({"default": {}, alias: database_settings(url)})
    connections.settings[alias] = configured[alias]
    try:
        call_command("migrate", database=alias, verbosity=0, interactive=False)
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        scratch.drop(backend, name)


def published(
    tmp_path: Path, lines: list[str], metric: str, using: str, date_to: date | None = None
) -> list[dict]:
    """Ingest `lines`, compute and publish `metric` into the `using` database, read its rows back."""
    from edinsights.metrics.registry import metrics
    from edinsights.pipeline.compute import compute
    from edinsights.results.models import model_for_table

    store = EventStore(Settings.load(tmp_path / "home").store_path)
    run_ingest(store, write_log(tmp_path / "t.log", lines))
    compute(store, only=[metric], date_to=date_to, using=using, full=True)
    declared = metrics()[metric]
    rows = model_for_table(declared.table).objects.using(using).values(*declared.columns)
    return sorted(rows, key=lambda row: [repr(row[column]) for column in declared.columns])


SIMULATED_START = date(2024, 3, 4)  # a Monday
SIMULATED_DAYS = 15


@pytest.fixture(scope="session")
def simulated_logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Simulated tracking logs of 3 courses, 250 learners, 15 days (the API and dashboard tests')."""
    from edinsights.demo.dataset import generate
    from edinsights.demo.simulate import SimulationConfig

    root = tmp_path_factory.mktemp("simulated")
    config = SimulationConfig(seed=41, courses=3, learners=250, days=SIMULATED_DAYS, start=SIMULATED_START)
    summary = generate(config, root)
    return root / "logs", summary.courses


@contextmanager
def serving(
    home: Path,
    environment: dict[str, str] | None = None,
    workers: int = 1,
    edinsights: Sequence[str] = (sys.executable, "-m", "edinsights"),
    cwd: Path | None = None,
) -> Iterator[str]:
    """`edinsights serve` on HOME on a free loopback port, once it answers; yields its base URL.

    `edinsights` is the command to run (by default the tests' own package), from `cwd`.
    """
    port = free_port()
    command = [*edinsights, "--home", str(home), "serve", "--port", str(port), "--workers", str(workers)]
    url = f"http://127.0.0.1:{port}"
    with running(command, f"{url}/health/", "edinsights serve", environment, cwd=cwd):
        yield url


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(
    command: list[str],
    ready_url: str,
    name: str,
    environment: dict[str, str] | None = None,
    timeout: float = 60,
    cwd: Path | None = None,
) -> Iterator[None]:
    """Run `command` in the background until the block ends, once `ready_url` answers 2xx."""
    server = subprocess.Popen(
        command,
        env={**os.environ, **(environment or {})},
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(ready_url, timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, f"{name} did not start"
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait(timeout=20)
