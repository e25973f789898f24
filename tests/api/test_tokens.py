"""API tokens are stored as digests: `token create`, `token list`, `token revoke`, the migration."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from rest_framework.exceptions import AuthenticationFailed

from edinsights.cli import main
from edinsights.config import Settings
from edinsights.results import scratch
from edinsights.testing.plugin import backend_params


def invoke(django_home: Settings, *arguments: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--home", str(django_home.home), "token", *arguments])


def authenticate(key: str):  # type: ignore[no-untyped-def]
    from edinsights.api.authentication import CachedTokenAuthentication

    return CachedTokenAuthentication().authenticate_credentials(key)[0]


def every_stored_value(database: Path) -> list[str]:
    """Every value of every column of every table of a SQLite file, as text."""
    values = []
    with sqlite3.connect(database) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                values.extend(str(value) for value in row if value is not None)
    return values


def test_the_result_store_keeps_no_copy_of_a_key(django_home: Settings) -> None:
    from django.db import connection

    result = invoke(django_home, "create", "digest-test", "--all-courses")
    assert result.exit_code == 0, result.output
    key = result.output.strip()
    assert len(key) == 64
    assert authenticate(key).username == "digest-test"

    connection.close()  # the WAL checkpointed into the file, so the file holds everything
    database = django_home.home / "results.sqlite3"
    assert not any(key in value for value in every_stored_value(database))
    # Nor anywhere in the file's bytes (a deleted row, a free page, the WAL).
    for path in database.parent.glob("results.sqlite3*"):
        assert key.encode() not in path.read_bytes(), path
    with sqlite3.connect(database) as raw:
        prefix, digest = raw.execute(
            "SELECT token_key, digest FROM knox_authtoken JOIN auth_user ON auth_user.id = user_id"
            " WHERE username = 'digest-test'"
        ).fetchone()
    assert key.startswith(prefix) and len(prefix) == 15 and len(digest) == 128


def test_token_list_shows_no_secrets(django_home: Settings) -> None:
    key = invoke(django_home, "create", "list-test", "--all-courses").output.strip()
    listing = invoke(django_home, "list")
    assert listing.exit_code == 0, listing.output
    line = next(line for line in listing.output.splitlines() if "list-test" in line)
    assert key[:15] in line and key not in listing.output
    assert "UTC" in line


def test_revoke_by_username_stops_the_key_at_once(django_home: Settings) -> None:
    key = invoke(django_home, "create", "revoke-test", "--all-courses").output.strip()
    assert authenticate(key).username == "revoke-test"  # now cached
    result = invoke(django_home, "revoke", "revoke-test")
    assert result.exit_code == 0, result.output
    assert f"revoked the token {key[:15]}" in result.output and "revoke-test" in result.output
    with pytest.raises(AuthenticationFailed):
        authenticate(key)
    assert "revoke-test" not in invoke(django_home, "list").output


def test_revoke_by_prefix(django_home: Settings) -> None:
    kept = invoke(django_home, "create", "prefix-keep", "--all-courses").output.strip()
    key = invoke(django_home, "create", "prefix-test", "--all-courses").output.strip()
    result = invoke(django_home, "revoke", key[:10])
    assert result.exit_code == 0, result.output
    assert "prefix-test" in result.output
    with pytest.raises(AuthenticationFailed):
        authenticate(key)
    assert authenticate(kept).username == "prefix-keep"


@pytest.mark.parametrize("argument", ["nobody-at-all", "abc"])
def test_revoking_an_unknown_token_is_an_error(django_home: Settings, argument: str) -> None:
    result = invoke(django_home, "revoke", argument)
    assert result.exit_code == 1
    assert result.output.startswith("Error: no token") and "Traceback" not in result.output


def test_other_workers_forget_a_revoked_token_within_the_cache_lifetime(  # type: ignore[no-untyped-def]
    django_home: Settings, monkeypatch
) -> None:
    from django.db import connection

    from edinsights.api import authentication

    key = invoke(django_home, "create", "worker-test", "--all-courses").output.strip()
    assert authenticate(key).username == "worker-test"
    # Another process revokes it: no signal reaches this one.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM knox_authtoken WHERE token_key = %s", [key[:15]])
    assert authenticate(key).username == "worker-test"  # still cached here
    later = authentication.time.monotonic() + authentication.TOKEN_CACHE_SECONDS + 1
    monkeypatch.setattr(authentication.time, "monotonic", lambda: later)
    with pytest.raises(AuthenticationFailed):
        authenticate(key)


MIGRATION_SCRIPT = textwrap.dedent(
    """
    import os, sys
    os.environ["EDINSIGHTS_HOME"] = sys.argv[1]
    os.environ["DJANGO_SETTINGS_MODULE"] = "edinsights.web.settings"
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.contrib.auth import get_user_model

    # A result store as the release before hashed tokens left it: DRF's authtoken table, clear keys.
    call_command("migrate", "api", "0001", verbosity=0)
    call_command("migrate", "auth", verbosity=0)
    user = get_user_model().objects.create(username="old-client")
    types = {"postgresql": "timestamp with time zone", "mysql": "datetime(6)"}
    timestamp = types.get(connection.vendor, "datetime")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {quote('authtoken_token')} ({quote('key')} varchar(40) NOT NULL PRIMARY KEY,"
            f" {quote('created')} {timestamp} NOT NULL, {quote('user_id')} integer NOT NULL UNIQUE)"
        )
        cursor.execute(
            f"INSERT INTO {quote('authtoken_token')} VALUES (%s, '2025-01-02 03:04:05', %s)",
            [sys.argv[2], user.id],
        )
    call_command("migrate", verbosity=0)

    from edinsights.api.authentication import CachedTokenAuthentication
    print(CachedTokenAuthentication().authenticate_credentials(sys.argv[2])[0].username)
    from knox.models import AuthToken
    print(AuthToken.objects.get().created.isoformat())
    print("authtoken_token" in connection.introspection.table_names())
    """
)


@pytest.mark.parametrize("backend", backend_params())  # MariaDB and PostgreSQL: live
def test_the_migration_hashes_existing_clear_tokens(tmp_path: Path, backend: str) -> None:
    key = "0123456789abcdef0123456789abcdef01234567"  # DRF's format: 40 hex characters
    home = tmp_path / "home"
    name = scratch.new_name("edinsights_tokens")
    url = scratch.create(backend, name, tmp_path)
    try:
        completed = subprocess.run(
            [sys.executable, "-c", MIGRATION_SCRIPT, str(home), key],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "EDINSIGHTS_RESULTS_DB": url},
        )
    finally:
        scratch.drop(backend, name)
    assert completed.returncode == 0, completed.stderr
    # The same key authenticates; the token keeps its age; the clear-text table is gone.
    assert completed.stdout.split() == ["old-client", "2025-01-02T03:04:05+00:00", "False"]
    if backend == "sqlite":
        database = tmp_path / f"{name}.sqlite3"
        assert not any(key in value for value in every_stored_value(database))
        for path in tmp_path.glob(f"{name}.sqlite3*"):
            assert key.encode() not in path.read_bytes(), path  # not in free pages either


def test_the_admin_lists_tokens_by_prefix(django_home: Settings) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    key = invoke(django_home, "create", "admin-list-test", "--all-courses").output.strip()
    admin, _ = get_user_model().objects.get_or_create(
        username="token-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(admin)
    html = client.get("/admin/knox/authtoken/").content.decode()
    assert key[:15] in html and key not in html
