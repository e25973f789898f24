"""A fresh result-store database per backend: SQLite, MariaDB and PostgreSQL, created and dropped here.

MariaDB (127.0.0.1:3306, root) and PostgreSQL (127.0.0.1:5432, postgres) must be running;
`.ci/run` starts them. A missing server fails the tests (it is never a silent skip).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from edinsights.results import scratch


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
