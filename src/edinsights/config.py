"""One settings object: the home directory and what lives in it.

The home directory (`--home`, env EDINSIGHTS_HOME, default ./edinsights-home) holds the
configuration file `edinsights.toml`, the event store and the default result store. Settings in
the file override the defaults; later issues add their sections.
"""

from __future__ import annotations

import ipaddress
import os
import stat
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

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

[web]
# The host names this server answers to besides loopback (Django's ALLOWED_HOSTS), e.g.
# hosts = ["insights.example.com"]
# Served over HTTPS (through a TLS proxy): Secure cookies, HSTS for a year, and the https:// origin
# of every host above trusted for sign-in forms. Off for the plain-http laptop demo.
# https = false
# Proxies (addresses or networks) whose X-Forwarded-Proto and X-Forwarded-For are believed; from
# anyone else these headers are ignored. E.g. nginx on this host: ["127.0.0.1"].
# trusted_proxies = []
# Failed sign-ins (password form and /admin/login/) before the account, and separately the
# client address, is locked out; and for how long.
# sign_in_failures = 5
# sign_in_lockout_minutes = 15

[api]
# Requests per user (token or signed-in account) the Data API serves before answering 429,
# as "<number>/<second|minute|hour|day>".
# throttle = "1200/minute"

# Single sign-on with the Open edX LMS (OAuth2). Without this section only edinsights' own
# accounts (`edinsights user create`) can sign in. Register edinsights at the LMS
# (/admin/oauth2_provider/application/: confidential, authorization code, redirect URI
# https://<this server>/complete/edx-oauth2/) and copy its client id and secret here.
# [sso]
# lms_url = "https://lms.example.com"          # how this server reaches the LMS
# public_lms_url = "https://lms.example.com"   # how browsers reach it, when different
# client_id = "..."
# client_secret = "..."                        # or env EDINSIGHTS_SSO_CLIENT_SECRET
# logout_url = "https://lms.example.com/logout" # where signing out of edinsights leads
# redirect_is_https = true                     # behind an HTTPS proxy that speaks HTTP to us

# The LMS REST APIs for `edinsights import structure --lms-url` (course outlines, catalog,
# grading policy): an OAuth2 client of the LMS with the client-credentials grant (a service
# user with staff access to the courses). Without it the [sso] client is used, if any.
# [lms]
# url = "https://lms.example.com"
# client_id = "..."
# client_secret = "..."                        # or env EDINSIGHTS_LMS_CLIENT_SECRET
"""


class ConfigError(ValueError):
    """edinsights.toml holds a value edinsights cannot use."""


@dataclass(frozen=True)
class SsoSettings:
    """Single sign-on with the Open edX LMS (`[sso]`): an OAuth2 client of the LMS."""

    lms_url: str
    """The LMS root as this server reaches it (the token exchange happens server to server)."""
    client_id: str
    client_secret: str
    public_lms_url: str | None = None
    """The LMS root as browsers reach it, when it differs from `lms_url`."""
    logout_url: str | None = None
    """Where the browser goes after signing out of edinsights (e.g. the LMS's /logout)."""
    redirect_is_https: bool = False
    """Build the redirect URI with https:// although requests arrive over HTTP (TLS proxy)."""

    @classmethod
    def from_config(cls, section: dict[str, object]) -> SsoSettings:
        """The `[sso]` table; missing or mistyped keys are a ConfigError naming the key."""
        values: dict[str, object] = {}
        secret = os.environ.get("EDINSIGHTS_SSO_CLIENT_SECRET")
        for key in ("lms_url", "client_id", "client_secret", "public_lms_url", "logout_url"):
            value = secret if key == "client_secret" and secret else section.get(key)
            required = key in {"lms_url", "client_id", "client_secret"}
            if value is None or value == "":
                if required:
                    raise ConfigError(f"{CONFIG_NAME} [sso]: {key} is missing")
                continue
            if not isinstance(value, str):
                raise ConfigError(f"{CONFIG_NAME} [sso]: {key} must be a string")
            # The backend appends "/oauth2/..." to the LMS roots: a trailing slash would double it.
            values[key] = value.rstrip("/") if key.endswith("lms_url") else value
        https = section.get("redirect_is_https", False)
        if not isinstance(https, bool):
            raise ConfigError(f"{CONFIG_NAME} [sso]: redirect_is_https must be true or false")
        unknown = set(section) - {*cls.__dataclass_fields__}
        if unknown:
            raise ConfigError(f"{CONFIG_NAME} [sso]: unknown key {sorted(unknown)[0]}")
        return cls(**values, redirect_is_https=https)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LmsSettings:
    """The LMS REST APIs' client (`[lms]`, else the `[sso]` client): client credentials, JWT."""

    url: str | None = None
    client_id: str | None = None
    client_secret: str | None = None

    @classmethod
    def from_config(cls, section: dict[str, object], sso: SsoSettings | None) -> LmsSettings:
        """The `[lms]` table; missing keys come from `[sso]`; mistyped or unknown keys are a ConfigError."""
        unknown = set(section) - {*cls.__dataclass_fields__}
        if unknown:
            raise ConfigError(f"{CONFIG_NAME} [lms]: unknown key {sorted(unknown)[0]}")
        values: dict[str, str] = {}
        for key in ("url", "client_id", "client_secret"):
            value = section.get(key)
            if value is not None and not isinstance(value, str):
                raise ConfigError(f"{CONFIG_NAME} [lms]: {key} must be a string")
            if value:
                values[key] = value.rstrip("/") if key == "url" else value
        secret = os.environ.get("EDINSIGHTS_LMS_CLIENT_SECRET")
        if secret:
            values["client_secret"] = secret
        if sso is not None:
            fallback = {"url": sso.lms_url, "client_id": sso.client_id, "client_secret": sso.client_secret}
            values = {**fallback, **values}
        return cls(**values)


@dataclass(frozen=True)
class Settings:
    home: Path
    store_path: Path
    results_db: str
    """Result-store URL (sqlite:///…, mysql://…, postgresql://…)."""
    api_throttle: str = "1200/minute"
    """Data API requests per user and period (`[api] throttle`)."""
    sso: SsoSettings | None = None
    """Single sign-on with the Open edX LMS (`[sso]`); None: off."""
    hosts: tuple[str, ...] = ()
    """Host names the web side answers to besides loopback (`[web] hosts`)."""
    https: bool = False
    """Served over HTTPS: Secure cookies, HSTS, https:// CSRF origins (`[web] https`)."""
    trusted_proxies: tuple[str, ...] = ()
    """Addresses/networks whose X-Forwarded-Proto/-For are believed (`[web] trusted_proxies`)."""
    sign_in_failures: int = 5
    """Failed sign-ins before an account or a client address is locked (`[web] sign_in_failures`)."""
    sign_in_lockout_minutes: float = 15
    """How long a lockout lasts (`[web] sign_in_lockout_minutes`)."""
    lms: LmsSettings = LmsSettings()
    """The LMS REST APIs' client for the structure import (`[lms]`, else `[sso]`)."""

    @classmethod
    def load(cls, home: str | os.PathLike[str] | None = None) -> Settings:
        """Read HOME/edinsights.toml, creating the home and a commented default file if absent."""
        home_path = Path(home or os.environ.get("EDINSIGHTS_HOME") or DEFAULT_HOME).expanduser().resolve()
        make_private_home(home_path)
        config_file = home_path / CONFIG_NAME
        create_private_file(config_file, DEFAULT_CONFIG)
        with config_file.open("rb") as handle:
            config = tomllib.load(handle)
        store = config.get("store", {})
        results_db = (
            os.environ.get("EDINSIGHTS_RESULTS_DB")
            or config.get("results", {}).get("database")
            or f"sqlite:///{home_path / 'results.sqlite3'}"
        )
        sso = SsoSettings.from_config(config["sso"]) if "sso" in config else None
        return cls(
            home=home_path,
            store_path=home_path / store.get("path", "store"),
            results_db=results_db,
            api_throttle=config.get("api", {}).get("throttle", cls.api_throttle),
            sso=sso,
            lms=LmsSettings.from_config(config.get("lms", {}), sso),
            hosts=_hosts(config.get("web", {}).get("hosts", [])),
            **_web_security(config.get("web", {})),
        )


def make_private_home(path: Path) -> None:
    """Create the home directory 0700 (it holds secrets and learners' events); warn if it is open.

    An existing home keeps the permissions its operator gave it (they may share it with a group
    on purpose): a home that others can read or enter gets a one-line warning, once per process.
    """
    try:
        path.mkdir(mode=0o700, parents=True)
        return
    except FileExistsError:
        pass
    mode = path.stat().st_mode
    if mode & 0o077 and path not in _warned_homes:
        _warned_homes.add(path)
        print(
            f"Warning: {path} can be read by other users (mode {stat.S_IMODE(mode):04o}); it holds"
            f" secrets and learners' events: chmod 700 {path}",
            file=sys.stderr,
        )


_warned_homes: set[Path] = set()


def create_private_file(path: Path, text: str) -> bool:
    """Write `text` to a new file readable by its owner only; False if the file already exists.

    The mode is set by open(2) itself, never by a chmod after writing, so there is no moment when
    the file is readable by others; O_EXCL: two processes starting at once do not both write.
    """
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    return True


def _hosts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(host, str) and host for host in value):
        example = '["insights.example.com"]'
        raise ConfigError(f"{CONFIG_NAME} [web]: hosts must be a list of host names, e.g. {example}")
    return tuple(value)


class _WebSecurity(TypedDict, total=False):
    """The `Settings` fields that `[web]` sets (each only when given)."""

    https: bool
    trusted_proxies: tuple[str, ...]
    sign_in_failures: int
    sign_in_lockout_minutes: float


def _web_security(web: dict[str, object]) -> _WebSecurity:
    """The `[web]` keys of sign-in throttling, HTTPS and proxies, checked; absent keys keep the defaults."""
    values: _WebSecurity = {}
    if "https" in web:
        if not isinstance(web["https"], bool):
            raise ConfigError(f"{CONFIG_NAME} [web]: https must be true or false")
        values["https"] = web["https"]
    if "trusted_proxies" in web:
        values["trusted_proxies"] = _networks(web["trusted_proxies"])
    if "sign_in_failures" in web:
        failures = web["sign_in_failures"]
        # bool is an int in Python: `true` is not a count.
        if not isinstance(failures, int) or isinstance(failures, bool) or failures < 1:
            raise ConfigError(f"{CONFIG_NAME} [web]: sign_in_failures must be a whole number of at least 1")
        values["sign_in_failures"] = failures
    if "sign_in_lockout_minutes" in web:
        minutes = web["sign_in_lockout_minutes"]
        if not isinstance(minutes, int | float) or isinstance(minutes, bool) or not minutes > 0:
            raise ConfigError(f"{CONFIG_NAME} [web]: sign_in_lockout_minutes must be a number above 0")
        values["sign_in_lockout_minutes"] = float(minutes)
    return values


def _networks(value: object) -> tuple[str, ...]:
    example = '["10.0.0.5"] or ["10.0.0.0/24"]'
    message = (
        f"{CONFIG_NAME} [web]: trusted_proxies must be a list of IP addresses or networks, e.g. {example}"
    )
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(message)
    for item in value:
        try:
            # strict: 10.0.0.5/24 (host bits set) is a typo for 10.0.0.0/24 or 10.0.0.5, not a guess.
            ipaddress.ip_network(item)
        except ValueError as error:
            raise ConfigError(f"{message}; {item!r} is not one") from error
    return tuple(value)
