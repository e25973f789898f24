"""Per-user throttling, configured in edinsights.toml."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.api.conftest import edinsights
from tests.conftest import serving

# Starts `edinsights serve`.
pytestmark = pytest.mark.live


def test_requests_over_the_configured_rate_get_429(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "edinsights.toml").write_text('[api]\nthrottle = "5/minute"\n')
    results_db = f"sqlite:///{home / 'results.sqlite3'}"
    tokens = [
        edinsights(home, results_db, "token", "create", name, "--all-courses").strip() for name in ("a", "b")
    ]
    with serving(home) as url:
        path = f"{url}/api/v0/courses/course-v1:edX+DemoX+2024/enrollment/"

        def status(token: str) -> int:
            return requests.get(path, headers={"Authorization": f"Token {token}"}, timeout=30).status_code

        assert [status(tokens[0]) for _ in range(5)] == [200] * 5
        limited = requests.get(path, headers={"Authorization": f"Token {tokens[0]}"}, timeout=30)
        assert limited.status_code == 429 and "Retry-After" in limited.headers
        assert "detail" in limited.json()
        # The limit is per user: another token is still served.
        assert status(tokens[1]) == 200
