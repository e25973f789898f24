"""Single sign-on with the Open edX LMS: the OAuth2 backend, LMS roles, and failures shown to people.

The LMS is an OAuth2 provider (django-oauth-toolkit); edinsights is one of its confidential
clients, like the other Open edX services, and uses edx-auth-backends' `EdXOAuth2` backend on
social-auth. The LMS answers the token request with a JWT whose claims carry the account
(`preferred_username`, `email`, `name`, `administrator`, `superuser`); the backend reads them
without checking the JWT's signature, trusting the server-to-server token exchange instead, so
`[sso] lms_url` must be an address only the LMS can answer (HTTPS, or a private network).
"""

from __future__ import annotations

import logging
from typing import Any

from auth_backends.backends import EdXOAuth2
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from social_core.exceptions import AuthConfigurationError, SocialAuthBaseException
from social_django import views as social_views

logger = logging.getLogger(__name__)

BACKEND_NAME = EdXOAuth2.name  # "edx-oauth2": the LMS registers /complete/edx-oauth2/


class OpenEdxOAuth2(EdXOAuth2):
    """`EdXOAuth2` with the redirect URI exactly as registered at the LMS.

    social-auth's OAuth2 backends add `?redirect_state=…` to the redirect URI, a fallback for
    providers that do not echo `state`. The LMS echoes `state`, and django-oauth-toolkit 3
    (RFC 9700) compares redirect URIs exactly, query included, so the extra parameter made
    every sign-in fail with "Mismatching redirect URI". `state` alone still protects the flow.
    """

    REDIRECT_STATE = False


def lms_roles(
    backend: Any, details: dict[str, Any], response: dict[str, Any], user: Any = None, **kwargs: Any
) -> None:
    """Pipeline step: LMS administrators are staff here (they read every course), superusers too.

    social-auth never copies `is_staff`/`is_superuser` from the provider (they are protected
    user fields), so the backend's mapping of the `administrator` and `superuser` claims would
    be lost without this step. The LMS decides at every sign-in: an administrator it demotes
    loses staff here too. A token without the claims (no `profile` scope) changes nothing.
    """
    if user is None or "administrator" not in response:
        return
    staff = bool(details.get("is_staff"))
    superuser = bool(details.get("is_superuser")) if "superuser" in response else user.is_superuser
    if (user.is_staff, user.is_superuser) != (staff, superuser):
        user.is_staff, user.is_superuser = staff, superuser
        user.save(update_fields=["is_staff", "is_superuser"])


def complete(request: HttpRequest, backend: str) -> HttpResponse:
    """social-auth's callback view, with failures sent back to the sign-in page as a message.

    Without this, a refused token exchange (a wrong client secret, an expired code, an LMS
    that is down) would end in a 500. The message is social-auth's, written for people
    ("Authentication credentials were rejected."); the details go to the log for operators.
    """
    try:
        return social_views.complete(request, backend)
    except SocialAuthBaseException as error:
        logger.warning(
            "sign-in with %s failed: %s (code=%s stage=%s provider_code=%s status=%s) %s",
            backend,
            error,
            error.code,
            error.stage,
            error.provider_code,
            error.status_code,
            error.detail,
        )
        message = f"Sign-in with Open edX failed: {error}"
        if isinstance(error, AuthConfigurationError):
            # A refused client (wrong id or secret, redirect URI not registered) is never the
            # person's fault: say who can fix it.
            message += " An administrator should check [sso] in edinsights.toml and the LMS's OAuth2 client."
        messages.error(request, message, extra_tags="sso")
        return redirect(settings.LOGIN_URL)
