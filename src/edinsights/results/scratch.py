"""Scratch result-store databases for tests and benchmarks: created empty, dropped after.

Servers: MariaDB as root@127.0.0.1:3306 and PostgreSQL as postgres@127.0.0.1:5432 (the
development and CI machines), overridable with EDINSIGHTS_TEST_MYSQL / EDINSIGHTS_TEST_POSTGRES
(server URLs without a database name).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlparse

MYSQL_SERVER = os.environ.get("EDINSIGHTS_TEST_MYSQL", "mysql://root@127.0.0.1:3306")
POSTGRES_SERVER = os.environ.get("EDINSIGHTS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
BACKENDS = ("sqlite", "mariadb", "postgresql")


def new_name(prefix: str = "edinsights_scratch") -> str:
    return f"{prefix}_{secrets.token_hex(4)}"


def create(backend: str, name: str, directory: Path) -> str:
    """Create an empty database `name` on `backend`; return its URL (SQLite: a file in `directory`)."""
    if backend == "sqlite":
        return f"sqlite:///{directory / (name + '.sqlite3')}"
    if backend == "mariadb":
        _mysql(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
        return f"{MYSQL_SERVER}/{name}"
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return f"{POSTGRES_SERVER}/{name}"


def drop(backend: str, name: str) -> None:
    if backend == "mariadb":
        _mysql(f"DROP DATABASE IF EXISTS {name}")
    elif backend == "postgresql":
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _mysql(statement: str) -> None:
    import pymysql

    server = urlparse(MYSQL_SERVER)
    connection = pymysql.connect(
        host=server.hostname, port=server.port or 3306, user=server.username, password=server.password or ""
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()
