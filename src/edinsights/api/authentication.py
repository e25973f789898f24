"""Token authentication that remembers a key's user and course grants for a few seconds per worker.

DRF's TokenAuthentication reads the token and its user on every request, and `readable_courses`
then reads the user's grants: two ORM queries, a third of the CPU of a small API request. A
deleted token, a deactivated user or a changed grant takes effect within TOKEN_CACHE_SECONDS in
the server's workers (at once in the process that makes the change).
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from edinsights.api.access import readable_courses
from edinsights.api.models import CourseGrant

TOKEN_CACHE_SECONDS = 10.0
MAX_CACHED_TOKENS = 10_000

_cache: dict[str, tuple[float, tuple[Any, Token]]] = {}


class CachedTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        now = time.monotonic()
        cached = _cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        user, token = super().authenticate_credentials(key)  # bad keys, inactive users: 401, not cached
        readable_courses(user)  # the grants, kept on the user object
        if len(_cache) >= MAX_CACHED_TOKENS:
            _cache.clear()
        _cache[key] = (now + TOKEN_CACHE_SECONDS, (user, token))
        return user, token


def _forget(**kwargs: Any) -> None:
    _cache.clear()


for _model in (Token, CourseGrant, get_user_model()):
    post_save.connect(_forget, sender=_model)
    post_delete.connect(_forget, sender=_model)
