"""A live `edinsights serve` per result-store backend, over results computed from simulated logs."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from edinsights.config import Settings
from edinsights.demo.dataset import import_structure_exports
from edinsights.results import scratch
from tests.conftest import SIMULATED_DAYS, SIMULATED_START, serving

# The simulated data set every API test reads (tests/conftest.py `simulated_logs`).
START, DAYS = SIMULATED_START, SIMULATED_DAYS


@dataclass
class LiveApi:
    url: str
    """Base URL of /api/v0 (no trailing slash)."""
    home: Path
    results_db: str
    courses: list[str]
    tokens: dict[str, str] = field(default_factory=dict)
    """username → token: `all` reads every course, `one` only courses[0]."""

    def get(self, path: str, token: str = "all", **kwargs: object) -> requests.Response:
        headers = {"Authorization": f"Token {self.tokens[token]}"} if token else {}
        headers.update(kwargs.pop("headers", {}))  # type: ignore[arg-type]
        return requests.get(f"{self.url}/{path}", headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]

    def post(self, path: str, data: dict, token: str = "all") -> requests.Response:
        headers = {"Authorization": f"Token {self.tokens[token]}"}
        return requests.post(f"{self.url}/{path}", data=data, headers=headers, timeout=30)


def edinsights(home: Path, results_db: str, *arguments: str, stdin: str | None = None) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "edinsights", "--home", str(home), "--results-db", results_db, *arguments],
        input=stdin,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


@pytest.fixture(scope="session", params=scratch.BACKENDS)
def live_api(request: pytest.FixtureRequest, simulated_logs, tmp_path_factory) -> Iterator[LiveApi]:  # type: ignore[no-untyped-def]
    backend = request.param
    logs, courses = simulated_logs
    home = tmp_path_factory.mktemp(f"api-{backend}")
    name = scratch.new_name("edinsights_api")
    results_db = scratch.create(backend, name, home)
    try:
        import_structure_exports(Settings.load(home).store_path, Path(logs).parent)
        edinsights(home, results_db, "run", str(logs))
        api = LiveApi(url="", home=home, results_db=results_db, courses=sorted(courses))
        api.tokens["all"] = edinsights(
            home, results_db, "token", "create", "everything", "--all-courses"
        ).strip()
        api.tokens["one"] = edinsights(
            home, results_db, "token", "create", "one", "--course", api.courses[0]
        ).strip()
        with serving(home, {"EDINSIGHTS_RESULTS_DB": results_db}) as url:
            api.url = f"{url}/api/v0"
            yield api
    finally:
        scratch.drop(backend, name)
