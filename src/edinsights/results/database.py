"""Result-store URLs → Django database settings (SQLite, MySQL/MariaDB, PostgreSQL)."""

from __future__ import annotations

from typing import Any

import dj_database_url


def database_settings(url: str) -> dict[str, Any]:
    """Django DATABASES entry for `url`; MySQL goes through PyMySQL (no C client library needed)."""
    config = dict(dj_database_url.parse(url, conn_max_age=60))
    engine = config["ENGINE"]
    if engine == "django.db.backends.mysql":
        import pymysql

        pymysql.install_as_MySQLdb()
        # local_infile: the loader publishes with LOAD DATA LOCAL INFILE (it checks the server allows it).
        config.setdefault("OPTIONS", {}).update({"charset": "utf8mb4", "local_infile": True})
    elif engine == "django.db.backends.sqlite3":
        # WAL: readers (the API) keep reading the last published results while a load commits.
        config.setdefault("OPTIONS", {}).update({"init_command": "PRAGMA journal_mode=WAL;"})
    return config
