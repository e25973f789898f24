"""API tokens and course grants, for `edinsights token create|list|revoke` and `edinsights grant`.

Tokens are django-rest-knox's: the result store keeps a SHA-512 digest of each key and its first
15 characters (`token_key`, shown by `token list` and found by `token revoke`), never the key
itself, so a copy of the database yields no usable token. The key is shown once, when made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from knox.crypto import hash_token
from knox.models import AuthToken

from edinsights.api.models import CourseGrant
from edinsights.api.parameters import course_key
from edinsights.config import create_private_file


class GrantError(Exception):
    """A bad course id, or neither courses nor --all-courses."""


class TokenError(Exception):
    """No token matches what `token revoke` was given."""


PREFIX_MIN_LENGTH = 6
"""`token revoke` by prefix needs at least this many characters, so that a typo revokes nothing."""


def grant(username: str, courses: Sequence[str], all_courses: bool = False) -> list[str]:
    """Let `username` (created if new, without a password) read `courses` or every course."""
    from rest_framework.exceptions import ValidationError

    if not courses and not all_courses:
        raise GrantError("name at least one course (--course ID) or give --all-courses")
    try:
        keys = sorted({course_key(course) for course in courses})
    except ValidationError as error:
        raise GrantError(str(error.detail["course_id"])) from error  # type: ignore[call-overload]
    with transaction.atomic():
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_unusable_password()
            user.save()
        for course in [None] if all_courses else keys:
            CourseGrant.objects.get_or_create(user=user, course_id=course)
    return keys


def create_token(username: str, courses: Sequence[str], all_courses: bool = False) -> str:
    """Grant the courses, then give `username` a new token (replacing an old one); return its key."""
    grant(username, courses, all_courses)
    return replace_token(get_user_model().objects.get(username=username))


def replace_token(user) -> str:  # type: ignore[no-untyped-def]
    """A new key for `user`, whose earlier tokens stop working; only its digest is stored."""
    with transaction.atomic():
        AuthToken.objects.filter(user=user).delete()
        # expiry=None: edinsights' tokens last until replaced or revoked (knox's default is 10 h).
        _token, key = AuthToken.objects.create(user=user, expiry=None)
    return key


def kept_token(user, path: Path) -> str:  # type: ignore[no-untyped-def]
    """`user`'s key as kept in `path` (created 0600), so that `edinsights demo` shows the same one
    each run; a new key when the file is gone or its key no longer works (revoked, replaced)."""
    if path.exists():
        key = path.read_text().strip()
        if AuthToken.objects.filter(user=user, digest=hash_token(key)).exists():
            return key
        path.unlink()
    key = replace_token(user)
    create_private_file(path, key)
    return key


@dataclass(frozen=True)
class TokenInfo:
    """What `token list` shows: nothing that authenticates."""

    username: str
    prefix: str
    created: datetime


def list_tokens() -> list[TokenInfo]:
    tokens = AuthToken.objects.select_related("user").order_by("user__username", "created")
    return [TokenInfo(token.user.get_username(), token.token_key, token.created) for token in tokens]


def revoke_tokens(name_or_prefix: str) -> list[TokenInfo]:
    """Delete the tokens of the user so named, or else the token(s) whose key starts so; return them.

    A username wins over a prefix. The key stops working at once in this process and within
    TOKEN_CACHE_SECONDS in the server's workers (edinsights.api.authentication).
    """
    tokens = AuthToken.objects.select_related("user")
    matched = list(tokens.filter(user__username=name_or_prefix))
    if not matched and len(name_or_prefix) >= PREFIX_MIN_LENGTH:
        # token_key holds the key's first 15 characters: a longer argument may be the whole key.
        matched = list(tokens.filter(token_key__startswith=name_or_prefix[:15]))
    if not matched:
        raise TokenError(
            f"no token of a user named {name_or_prefix!r} nor with a key starting {name_or_prefix!r}"
            f" (a prefix needs at least {PREFIX_MIN_LENGTH} characters; see `edinsights token list`)"
        )
    revoked = [TokenInfo(token.user.get_username(), token.token_key, token.created) for token in matched]
    with transaction.atomic():
        for token in matched:
            token.delete()  # one by one: each sends post_delete, which clears the token cache
    return revoked
