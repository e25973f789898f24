"""In-process clients of the Data API and the dashboard (Django's test client, no server)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing django.test is left to the call, after Django's set-up
    from django.test import Client


def api_client(username: str, courses: Sequence[str] = (), *, all_courses: bool = False) -> Client:
    """A client whose requests carry a new Data API token of `username` (created if new), who may
    read `courses` (or every course). Django must be set up (`django_home`)."""
    from django.test import Client

    from edinsights.api.tokens import create_token

    key = create_token(username, courses, all_courses)
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def dashboard_client(username: str, courses: Sequence[str] = (), *, staff: bool = False) -> Client:
    """A client signed in as `username` (created if new), who reads `courses` (staff: every course).

    It signs in without a password (Django's `force_login`), so no sign-in throttling applies.
    """
    from django.contrib.auth import get_user_model
    from django.test import Client

    from edinsights.api.tokens import grant

    user, _created = get_user_model().objects.get_or_create(username=username)
    if staff and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if courses:
        grant(username, courses)
    client = Client()
    client.force_login(user)
    return client
