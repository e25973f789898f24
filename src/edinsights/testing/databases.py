"""Scratch result stores on each backend: SQLite, MariaDB and PostgreSQL, created and dropped.

The servers are MariaDB as root@127.0.0.1:3306 and PostgreSQL as postgres@127.0.0.1:5432, or
the ones EDINSIGHTS_TEST_MYSQL / EDINSIGHTS_TEST_POSTGRES name (edinsights.results.scratch).
A server that is not running fails the test: it is never a silent skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from edinsights.results import scratch

BACKENDS = scratch.BACKENDS
"""The backends a result store may be on, as `result_database` and the `result_db` fixture name them."""

# The backends that need a database server running (the tests on them are marked `live`).
SERVER_BACKENDS = frozenset({"mariadb", "postgresql"})


@contextmanager
def result_database(backend: str, directory: Path, prefix: str = "edinsights_test") -> Iterator[str]:
    """A new, migrated result store on `backend` (SQLite: a file in `directory`) while the block
    runs; yields its Django database alias. Django must be set up (`django_home`)."""
    from django.core.management import call_command
    from django.db import connections

    from edinsights.results.database import database_settings

    if backend not in BACKENDS:
        raise ValueError(f"unknown result-store backend {backend!r}: one of {', '.join(BACKENDS)}")
    name = scratch.new_name(prefix)
    url = scratch.create(backend, name, directory)
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
        del connections.settings[alias]  # the alias is gone, not left pointing at a dropped database
        scratch.drop(backend, name)
