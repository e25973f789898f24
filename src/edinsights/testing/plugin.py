"""The pytest plugin of edinsights.testing: fixtures and markers (docs/testing.md).

Use it from a conftest.py (`pytest_plugins = ["edinsights.testing.plugin"]`) or through the
`pytest11` entry point of an installed package. Fixtures:

- `home` (function): a fresh, not yet created edinsights home under `tmp_path`;
- `store` (function): that home's event store;
- `django_home` (session): Django set up once, on a home of its own (its default result store is
  SQLite); the Data API, the dashboard and the ORM work after it;
- `result_db` (module, one per backend): the Django alias of a new, migrated result store on
  SQLite, MariaDB and PostgreSQL in turn, dropped afterwards; MariaDB and PostgreSQL are marked
  `live`;
- `simulated_logs` (session): the directory of a small simulated data set's logs and its courses;
- `api_client` / `dashboard_client` (function): the factories of edinsights.testing.clients, with
  Django set up.

Markers: `live` (needs a MariaDB or PostgreSQL server, or starts `edinsights serve`), `browser`
(drives Chromium), `slow` (over about 10 s).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from edinsights.config import Settings
from edinsights.events.store import EventStore
from edinsights.testing import clients, simulated
from edinsights.testing.databases import BACKENDS, SERVER_BACKENDS, result_database

MARKERS = {
    "live": "needs a MariaDB or PostgreSQL server, or starts `edinsights serve` (deselect: -m 'not live')",
    "browser": "drives Chromium through Playwright (deselect: -m 'not browser')",
    "slow": "takes more than about 10 seconds (deselect: -m 'not slow')",
}


def pytest_configure(config: pytest.Config) -> None:
    # Registered here too, so that a module's own tests can use them under --strict-markers
    # (unless its configuration already describes them, as edinsights' pyproject.toml does).
    declared = {line.split(":")[0].split("(")[0].strip() for line in config.getini("markers")}
    for name, description in MARKERS.items():
        if name not in declared:
            config.addinivalue_line("markers", f"{name}: {description}")


def backend_params() -> list[Any]:
    """`pytest.param` per result-store backend, the ones needing a server marked `live`: for a
    fixture or test parametrised over the backends."""
    return [
        pytest.param(backend, marks=[pytest.mark.live] if backend in SERVER_BACKENDS else [], id=backend)
        for backend in BACKENDS
    ]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def store(home: Path) -> EventStore:
    return EventStore(Settings.load(home).store_path)


@pytest.fixture(scope="session")
def django_home(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Django set up once per test session, on a home of its own (Django's settings are global)."""
    from edinsights.web.server import setup_django

    settings = Settings.load(tmp_path_factory.mktemp("django") / "home")
    setup_django(settings)
    return settings


@pytest.fixture(params=backend_params(), scope="module")
def result_db(
    request: pytest.FixtureRequest, django_home: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The Django alias of a freshly created and migrated result store on one backend."""
    backend = request.param
    with result_database(backend, tmp_path_factory.mktemp(backend)) as alias:
        yield alias


@pytest.fixture(scope="session")
def simulated_logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Simulated tracking logs of 3 courses, 250 learners, 15 days (the API and dashboard tests')."""
    return simulated.simulated_logs(tmp_path_factory.mktemp("simulated"))


@pytest.fixture
def api_client(django_home: Settings) -> Callable[..., object]:
    """`api_client(username, courses, all_courses=False)`: a Django test client with a token."""
    return clients.api_client


@pytest.fixture
def dashboard_client(django_home: Settings) -> Callable[..., object]:
    """`dashboard_client(username, courses, staff=False)`: a Django test client signed in."""
    return clients.dashboard_client
