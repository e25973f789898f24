"""One settings object: the home directory and what lives in it.

The home directory (`--home`, env EDINSIGHTS_HOME, default ./edinsights-home) holds the
configuration file `edinsights.toml`, the event store and the default result store. Settings in
the file override the defaults; later issues add their sections.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = "edinsights-home"
CONFIG_NAME = "edinsights.toml"

DEFAULT_CONFIG = """\
# edinsights configuration. Paths are relative to this directory unless absolute.

[store]
# Where the event store (Parquet datasets, manifest, quarantine) lives.
path = "store"

[results]
# The result store. Default: SQLite at results.sqlite3 in this directory. MySQL/MariaDB or
# PostgreSQL: a URL such as "mysql://user:password@host/reports" or
# "postgresql://user@host/reports" (the environment variable EDINSIGHTS_RESULTS_DB, or the
# --results-db option, take precedence).
# database = "postgresql://postgres@127.0.0.1/reports"

[api]
# Requests per user (token or signed-in account) the Data API serves before answering 429,
# as "<number>/<second|minute|hour|day>".
# throttle = "1200/minute"
"""


@dataclass(frozen=True)
class Settings:
    home: Path
    store_path: Path
    results_db: str
    """Result-store URL (sqlite:///…, mysql://…, postgresql://…)."""
    api_throttle: str = "1200/minute"
    """Data API requests per user and period (`[api] throttle`)."""

    @classmethod
    def load(cls, home: str | os.PathLike[str] | None = None) -> Settings:
        """Read HOME/edinsights.toml, creating the home and a commented default file if absent."""
        home_path = Path(home or os.environ.get("EDINSIGHTS_HOME") or DEFAULT_HOME).expanduser().resolve()
        home_path.mkdir(parents=True, exist_ok=True)
        config_file = home_path / CONFIG_NAME
        if not config_file.exists():
            config_file.write_text(DEFAULT_CONFIG)
        with config_file.open("rb") as handle:
            config = tomllib.load(handle)
        store = config.get("store", {})
        results_db = (
            os.environ.get("EDINSIGHTS_RESULTS_DB")
            or config.get("results", {}).get("database")
            or f"sqlite:///{home_path / 'results.sqlite3'}"
        )
        return cls(
            home=home_path,
            store_path=home_path / store.get("path", "store"),
            results_db=results_db,
            api_throttle=config.get("api", {}).get("throttle", cls.api_throttle),
        )
