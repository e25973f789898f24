"""Shared fixtures and helpers: they live in edinsights.testing (docs/testing.md), which module
authors use too; the names are kept here for the tests that import them from tests.conftest."""

from __future__ import annotations

from edinsights.testing import (  # noqa: F401  (imported by tests from here)
    event_line,
    free_port,
    published,
    quarantined,
    run_ingest,
    running,
    serving,
    stored_events,
    write_log,
)
from edinsights.testing.simulated import SIMULATED_DAYS, SIMULATED_START  # noqa: F401

# The fixtures (home, store, django_home, result_db, simulated_logs, api_client, dashboard_client)
# and the markers live, browser, slow. An installed package could register the plugin through
# the `pytest11` entry point instead; this line works from a checkout without reinstalling.
pytest_plugins = ["edinsights.testing.plugin"]
