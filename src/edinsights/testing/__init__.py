"""Test helpers for edinsights and for the authors of analytics modules (docs/testing.md).

Plain functions, importable without pytest:

- events: `event_line(**fields)` (one valid tracking-log line), `write_log(path, lines)` (plain
  or gzip), `run_ingest(store, *paths)`, `stored_events(store)`, `quarantined(store)`;
- metrics: `published(tmp_path, lines, metric, using)` (ingest, compute one metric, read its
  table back);
- databases: `result_database(backend, directory)` (a scratch result store on SQLite, MariaDB or
  PostgreSQL, created, migrated and dropped);
- clients: `api_client(username, courses)` (Django test client carrying a Data API token) and
  `dashboard_client(username, courses)` (signed in, reading the granted courses);
- servers: `serving(home)` (`edinsights serve` on a free port), `running(command, url, name)`,
  `free_port()`.

The pytest fixtures built on them (`home`, `store`, `django_home`, `result_db`, `simulated_logs`,
`api_client`, `dashboard_client`) and the markers `live`, `browser` and `slow` come with the
plugin `edinsights.testing.plugin`.
"""

from __future__ import annotations

from edinsights.testing.clients import api_client, dashboard_client
from edinsights.testing.databases import BACKENDS, result_database
from edinsights.testing.events import event_line, quarantined, run_ingest, stored_events, write_log
from edinsights.testing.metrics import published
from edinsights.testing.servers import free_port, running, serving

__all__ = [
    "BACKENDS",
    "api_client",
    "dashboard_client",
    "event_line",
    "free_port",
    "published",
    "quarantined",
    "result_database",
    "run_ingest",
    "running",
    "serving",
    "stored_events",
    "write_log",
]
