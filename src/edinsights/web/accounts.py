"""edinsights' own accounts, for `edinsights user create` and `edinsights user list`.

People who sign in through the Open edX LMS get their account at their first sign-in; these are
the others (operators, course teams without an LMS account here, the demo). What an account may
read is decided in one place, edinsights.api.access.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from edinsights.api.models import CourseGrant

if TYPE_CHECKING:
    from django.contrib.auth.models import User


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
    if len(username) > (model._meta.get_field("username").max_length or 150):
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
    check_password(password, model(username=username, email=email))
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


def check_password(password: str, user: User) -> None:
    """Raise AccountError with every reason AUTH_PASSWORD_VALIDATORS refuse `password` for `user`.

    `user` may be unsaved: the similarity check compares with its username and e-mail address.
    """
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise AccountError(f"password refused: {' '.join(error.messages)}") from error


def set_active(username: str, active: bool) -> bool:
    """Let `username` sign in and use its API token again, or stop both; False: it already was so.

    Deactivating also ends the account's open sessions at once: Django's own check of is_active
    on each request covers password sessions, but an SSO session's backend need not make it.
    """
    model = get_user_model()
    try:
        user = model.objects.get(username=username)
    except model.DoesNotExist as error:
        raise AccountError(f"no user {username!r}") from error
    if user.is_active == active:
        return False
    user.is_active = active
    # Saving the user also empties the API's token cache (edinsights.api.authentication).
    user.save(update_fields=["is_active"])
    if not active:
        end_sessions(user.pk)
    return True


def end_sessions(user_id: int) -> int:
    """Delete every database session signed in as `user_id`; how many there were."""
    from django.contrib.sessions.models import Session

    ended = [
        session.pk
        for session in Session.objects.iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def unlock(username: str) -> int:
    """Forget the failed sign-ins counted against `username` (django-axes); how many there were.

    Failures counted against the address that came with these names go too; an address locked by
    failures against several accounts needs `unlock_address`.
    """
    from axes.utils import reset

    return reset(username=username)


def unlock_address(address: str) -> int:
    """Forget the failed sign-ins counted against client `address`; how many records there were."""
    from axes.utils import reset

    return reset(ip=address)


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
