"""edinsights' own accounts, for `edinsights user create` and `edinsights user list`.

People who sign in through the Open edX LMS get their account at their first sign-in; these are
the others (operators, course teams without an LMS account here, the demo). What an account may
read is decided in one place, edinsights.api.access.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from edinsights.api.models import CourseGrant


class AccountError(Exception):
    """An account that cannot be created as asked (taken name, bad e-mail address, no password)."""


@dataclass(frozen=True)
class Account:
    username: str
    email: str
    staff: bool
    superuser: bool
    active: bool
    password: bool
    """It has a usable password (accounts made by `grant` or by single sign-on have none)."""
    sso: bool
    """It has signed in through the LMS at least once."""
    courses: list[str] | None
    """Courses granted; None: every course (a grant of every course, or staff)."""


def check_new_account(username: str, email: str = "") -> None:
    """Raise AccountError unless an account `username` with `email` could be created now.

    Called before asking for the password, so that nobody types one twice for nothing.
    """
    model = get_user_model()
    try:
        model.username_validator(username)
    except ValidationError as error:
        raise AccountError(f"invalid username {username!r}: {' '.join(error.messages)}") from error
    if len(username) > model._meta.get_field("username").max_length:
        raise AccountError(f"invalid username {username!r}: longer than 150 characters")
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise AccountError(f"invalid e-mail address {email!r}") from error
    if model.objects.filter(username=username).exists():
        raise AccountError(f"user {username!r} already exists")


def create_account(
    username: str, password: str, email: str = "", staff: bool = False, superuser: bool = False
) -> Account:
    """Create `username` with `password`; a superuser is staff too (as Django's createsuperuser)."""
    check_new_account(username, email)
    if not password:
        raise AccountError("the password is empty")
    model = get_user_model()
    try:
        with transaction.atomic():
            user = model.objects.create_user(
                username=username,
                email=email,
                password=password,
                is_staff=staff or superuser,
                is_superuser=superuser,
            )
    except IntegrityError as error:
        # Another process created the same name between the check and the insert.
        raise AccountError(f"user {username!r} already exists") from error
    return _account(user, set(), set())


def list_accounts() -> list[Account]:
    """Every account, by username."""
    model = get_user_model()
    grants: dict[int, set[str | None]] = {}
    for user_id, course in CourseGrant.objects.values_list("user_id", "course_id"):
        grants.setdefault(user_id, set()).add(course)
    # Imported here: the social_django app is installed, but only this listing reads its table.
    from social_django.models import UserSocialAuth

    sso_users = set(UserSocialAuth.objects.values_list("user_id", flat=True))
    return [
        _account(user, grants.get(user.pk, set()), sso_users) for user in model.objects.order_by("username")
    ]


def _account(user, granted: set[str | None], sso_users: set[int]) -> Account:  # type: ignore[no-untyped-def]
    every = user.is_staff or user.is_superuser or None in granted
    return Account(
        username=user.get_username(),
        email=user.email,
        staff=user.is_staff,
        superuser=user.is_superuser,
        active=user.is_active,
        password=user.has_usable_password(),
        sso=user.pk in sso_users,
        courses=None if every else sorted(course for course in granted if course),
    )
