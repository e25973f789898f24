"""Access tokens as the LMS issues them: a JWT when the client asks with `token_type=jwt`.

The claims follow edx-platform's JWT builder (openedx/core/djangoapps/oauth_dispatch/jwt.py):
`preferred_username` always; `user_id` with the user_id scope; `email` with the email scope;
`name`, `given_name`, `family_name`, `administrator` (is_staff) and `superuser` with the
profile scope.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import jwt
from django.conf import settings
from oauthlib.oauth2.rfc6749.tokens import random_token_generator


def access_token(request: Any, refresh_token: bool = False) -> str:
    """oauthlib's token generator hook: `request` is the token request, with `user` and `scopes`."""
    # Without token_type=jwt the LMS answers with an opaque token, which EdXOAuth2 cannot read:
    # the sign-in then fails, so a passing test also shows that the backend asks for a JWT.
    if getattr(request, "token_type", None) != "jwt":
        return random_token_generator(request)
    user = request.user
    scopes = set(request.scopes or [])
    now = int(time.time())
    root = request.uri.split("/oauth2/")[0] if "/oauth2/" in request.uri else ""
    claims: dict[str, Any] = {
        "iss": root + settings.JWT_ISSUER_PATH,
        "aud": request.client_id,
        "iat": now,
        "exp": now + 3600,
        # Unique per token: two sign-ins of one person within a second would otherwise get the
        # same JWT, which django-oauth-toolkit refuses to store twice (a 500 at the token request).
        "jti": secrets.token_hex(16),
        "sub": f"anonymous-{user.pk}",
        "preferred_username": user.username,
        "scopes": sorted(scopes),
        "version": "1.2.0",
    }
    if "user_id" in scopes:
        claims["user_id"] = user.pk
    if "email" in scopes:
        claims["email"] = user.email
        claims["email_verified"] = True
    if "profile" in scopes:
        claims["name"] = user.get_full_name()
        claims["given_name"] = user.first_name
        claims["family_name"] = user.last_name
        claims["administrator"] = user.is_staff
        claims["superuser"] = user.is_superuser
    return jwt.encode(claims, settings.JWT_SIGNING_KEY, algorithm="HS256")
