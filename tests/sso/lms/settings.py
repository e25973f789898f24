"""Settings of the stand-in LMS (tests only; never served outside loopback)."""

from __future__ import annotations

import os
from pathlib import Path

SECRET_KEY = "stand-in-lms-not-secret"
# The key the stand-in signs its JWTs with. The real LMS signs with an RSA key (JWK); what
# matters here is that edx-auth-backends does not check the signature at all (see tokens.py).
JWT_SIGNING_KEY = "stand-in-lms-jwt-signing-key-not-secret"
JWT_ISSUER_PATH = "/oauth2"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.sso.lms.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["LMS_DATABASE"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/login/"
# Browsers keep cookies per host, not per port: with the LMS and edinsights both on 127.0.0.1,
# the same cookie names would overwrite each other's session (the real LMS's names differ too).
SESSION_COOKIE_NAME = "lms_sessionid"
CSRF_COOKIE_NAME = "lms_csrftoken"

OAUTH2_PROVIDER = {
    # The scopes edx-auth-backends' EdXOAuth2 asks for (DEFAULT_SCOPE).
    "SCOPES": {"user_id": "Know your user id", "profile": "Know your name", "email": "Know your e-mail"},
    "DEFAULT_SCOPES": ["user_id", "profile", "email"],
    # The LMS does not require PKCE from its confidential clients, and EdXOAuth2 sends none.
    "PKCE_REQUIRED": False,
    "ACCESS_TOKEN_GENERATOR": "tests.sso.lms.tokens.access_token",
    # Refresh tokens stay opaque (without this, oauthlib would use the JWT generator for them too).
    "REFRESH_TOKEN_GENERATOR": "oauthlib.oauth2.rfc6749.tokens.random_token_generator",
}
