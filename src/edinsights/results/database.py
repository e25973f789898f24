"""Result-store URLs → Django database settings (SQLite, MySQL/MariaDB, PostgreSQL)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import dj_database_url

from edinsights.config import ConfigError, create_private_file

ENGINES = {
    "django.db.backends.sqlite3": "SQLite",
    "django.db.backends.mysql": "MySQL/MariaDB",
    "django.db.backends.postgresql": "PostgreSQL",
}
URL_FORMS = (
    "sqlite:///PATH, mysql://USER[:PASSWORD]@HOST[:PORT]/DB or postgresql://USER[:PASSWORD]@HOST[:PORT]/DB"
)


class DatabaseURLError(ConfigError):
    """A result-store URL edinsights cannot use (the CLI prints it as one `Error:` line)."""


def redacted(url: str) -> str:
    """A database URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def database_settings(url: str) -> dict[str, Any]:
    """Django DATABASES entry for `url`; MySQL goes through PyMySQL (no C client library needed).

    A URL that is no URL, of another kind of database, or without a database name is a
    DatabaseURLError naming it without its password, before anything tries to connect.
    """
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except dj_database_url.UnknownSchemeError:
        raise DatabaseURLError(
            f"result store {redacted(url)}: not a database edinsights knows; expected {URL_FORMS}"
        ) from None
    except ValueError:  # dj_database_url.ParseError: the port is not a number, a character needs %-encoding
        raise DatabaseURLError(
            f"result store {redacted(url)}: not a valid URL; expected {URL_FORMS}"
        ) from None
    engine = config["ENGINE"]
    if engine not in ENGINES:  # a database dj_database_url knows, edinsights does not
        raise DatabaseURLError(
            f"result store {redacted(url)}: not a database edinsights knows; expected {URL_FORMS}"
        )
    if not config.get("NAME"):
        raise DatabaseURLError(f"result store {redacted(url)}: names no database; expected {URL_FORMS}")
    if engine == "django.db.backends.mysql":
        import pymysql

        pymysql.install_as_MySQLdb()
        # local_infile: the loader publishes with LOAD DATA LOCAL INFILE (it checks the server allows it).
        config.setdefault("OPTIONS", {}).update({"charset": "utf8mb4", "local_infile": True})
    elif engine == "django.db.backends.sqlite3":
        # WAL: readers (the API) keep reading the last published results while a load commits.
        config.setdefault("OPTIONS", {}).update({"init_command": "PRAGMA journal_mode=WAL;"})
        _create_private_sqlite(str(config.get("NAME") or ""))
    return config


def _create_private_sqlite(name: str) -> None:
    """Create the SQLite file empty and 0600 before SQLite does (it would make it 0644).

    It holds password hashes, session keys and token digests. SQLite gives its -wal, -shm and
    -journal files the main file's mode, so they are private too.
    """
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    if path.parent.is_dir():
        create_private_file(path, "")  # an empty file is a valid, empty SQLite database
