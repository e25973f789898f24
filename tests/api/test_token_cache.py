"""The per-worker token cache: reused within its lifetime, forgotten when tokens or grants change."""

from __future__ import annotations

import pytest
from rest_framework.exceptions import AuthenticationFailed


def test_cached_tokens_follow_changes_made_in_the_process(django_home) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from edinsights.api.access import readable_courses
    from edinsights.api.authentication import CachedTokenAuthentication
    from edinsights.api.models import CourseGrant
    from edinsights.api.tokens import create_token, grant

    key = create_token("cache-test", ["course-v1:edX+A+2024"])
    authentication = CachedTokenAuthentication()
    user, _ = authentication.authenticate_credentials(key)
    assert readable_courses(user) == {"course-v1:edX+A+2024"}
    with CaptureQueriesContext(connection) as queries:
        again, _ = authentication.authenticate_credentials(key)
        assert readable_courses(again) == {"course-v1:edX+A+2024"}
    assert len(queries) == 0  # served from the cache

    grant("cache-test", ["course-v1:edX+B+2024"])  # a new grant clears the cache
    user, _ = authentication.authenticate_credentials(key)
    assert readable_courses(user) == {"course-v1:edX+A+2024", "course-v1:edX+B+2024"}

    CourseGrant.objects.filter(user=user).delete()
    user.auth_token_set.all().delete()  # a revoked token fails at once in this process
    with pytest.raises(AuthenticationFailed):
        authentication.authenticate_credentials(key)
