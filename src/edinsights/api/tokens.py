"""API tokens and course grants, for `edinsights token create` and `edinsights grant`."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.authtoken.models import Token

from edinsights.api.models import CourseGrant
from edinsights.api.parameters import course_key


class GrantError(Exception):
    """A bad course id, or neither courses nor --all-courses."""


def grant(username: str, courses: Sequence[str], all_courses: bool = False) -> list[str]:
    """Let `username` (created if new, without a password) read `courses` or every course."""
    from rest_framework.exceptions import ValidationError

    if not courses and not all_courses:
        raise GrantError("name at least one course (--course ID) or give --all-courses")
    try:
        keys = sorted({course_key(course) for course in courses})
    except ValidationError as error:
        raise GrantError(str(error.detail["course_id"])) from error  # type: ignore[index, call-overload]
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
    user = get_user_model().objects.get(username=username)
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user).key
