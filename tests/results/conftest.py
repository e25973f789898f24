"""A fresh result-store database per backend: SQLite, MariaDB and PostgreSQL, created and dropped here.

MariaDB (127.0.0.1:3306, root) and PostgreSQL (127.0.0.1:5432, postgres) must be running;
`.ci/run` starts them. A missing server fails the tests (it is never a silent skip).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

MYSQL_URL = os.environ.get("EDINSIGHTS_TEST_MYSQL", "mysql://root@127.0.0.1:3306")
POSTGRES_URL = os.environ.get("EDINSIGHTS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
BACKENDS = ("sqlite", "mariadb", "postgresql")


def _create(backend: str, name: str, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / (name + '.sqlite3')}"
    if backend == "mariadb":
        import pymysql

        connection = pymysql.connect(host="127.0.0.1", port=3306, user="root")
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
        connection.close()
        return f"{MYSQL_URL}/{name}"
    import psycopg

    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return f"{POSTGRES_URL}/{name}"


def _drop(backend: str, name: str) -> None:
    if backend == "mariadb":
        import pymysql

        connection = pymysql.connect(host="127.0.0.1", port=3306, user="root")
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.close()
    elif backend == "postgresql":
        import psycopg

        with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=BACKENDS, scope="module")
def result_db(request: pytest.FixtureRequest, django_home, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The Django alias of a freshly created and migrated result store on one backend."""
    from django.core.management import call_command
    from django.db import connections

    from edinsights.results.database import database_settings

    backend = request.param
    name = f"edinsights_test_{secrets.token_hex(4)}"
    url = _create(backend, name, tmp_path_factory.mktemp(backend))
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
        _drop(backend, name)
