"""API tokens kept as digests: DRF's clear-text tokens (`authtoken_token`) become knox tokens.

Each old key is hashed as knox hashes a key, so clients keep their key; then the old table,
the only place the keys were kept in clear, is emptied and dropped. On SQLite secure_delete
overwrites the freed pages, so the keys do not linger in the file either.
"""

from __future__ import annotations

from django.db import migrations

OLD_TABLE = "authtoken_token"


def hash_old_tokens(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    from knox.crypto import hash_token
    from knox.settings import CONSTANTS

    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return  # a store made after this change: nothing to convert
    AuthToken = apps.get_model("knox", "AuthToken")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('key')}, {quote('user_id')}, {quote('created')} FROM {quote(OLD_TABLE)}"
        )
        rows = cursor.fetchall()
    for key, user_id, created in rows:
        token = AuthToken.objects.create(
            digest=hash_token(key), token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH], user_id=user_id, expiry=None
        )
        # auto_now_add set `created` to now: keep when the old token was made.
        AuthToken.objects.filter(pk=token.pk).update(created=created)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute(f"DELETE FROM {quote(OLD_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_course_grant"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunPython(hash_old_tokens, migrations.RunPython.noop),
        # Its own operation: MySQL cannot drop a table inside the data migration's transaction.
        migrations.RunSQL(f"DROP TABLE IF EXISTS {OLD_TABLE}", migrations.RunSQL.noop),
    ]
