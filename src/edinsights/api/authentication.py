"""Token authentication that remembers a key's user and course grants for a few seconds per worker.

Tokens are django-rest-knox's (`Authorization: Token <key>`, as the Open edX API client sends
it): the database holds a digest of each key, never the key. Knox reads the token and its user
on every request, and `readable_courses` then reads the user's grants: several ORM queries, a
third of the CPU of a small API request. So each worker remembers them for TOKEN_CACHE_SECONDS,
keyed by the key's digest (no clear key is kept, not even in memory). A deleted token, a
deactivated user or a changed grant takes effect within TOKEN_CACHE_SECONDS in the server's
workers (at once in the process that makes the change).
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken

from edinsights.api.access import readable_courses
from edinsights.api.models import CourseGrant

TOKEN_CACHE_SECONDS = 10.0
MAX_CACHED_TOKENS = 10_000

_cache: dict[str, tuple[float, tuple[Any, AuthToken]]] = {}


class CachedTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: bytes | str) -> tuple[Any, AuthToken]:
        text = key.decode("utf-8", "replace") if isinstance(key, bytes) else key
        digest = hash_token(text)
        now = time.monotonic()
        cached = _cache.get(digest)
        if cached is not None and cached[0] > now:
            return cached[1]
        # Bad keys, inactive users: 401, not cached.
        user, token = super().authenticate_credentials(text.encode())
        readable_courses(user)  # the grants, kept on the user object
        if len(_cache) >= MAX_CACHED_TOKENS:
            _cache.clear()
        _cache[digest] = (now + TOKEN_CACHE_SECONDS, (user, token))
        return user, token


def _forget(**kwargs: Any) -> None:
    _cache.clear()


for _model in (AuthToken, CourseGrant, get_user_model()):
    post_save.connect(_forget, sender=_model)
    post_delete.connect(_forget, sender=_model)
