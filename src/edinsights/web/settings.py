"""Django settings for edinsights' web side (Data API and dashboard as they arrive).

Everything comes from the edinsights home directory (`EDINSIGHTS_HOME`): the default result
store is the SQLite file HOME/results.sqlite3, and the secret key is created once in
HOME/secret_key. Nothing here is meant to be edited per installation; `edinsights.toml` is.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONE, SELF

from edinsights.config import Settings, create_private_file
from edinsights.dashboard.assets import static_dirs
from edinsights.modules import module_apps
from edinsights.results.database import database_settings

EDINSIGHTS = Settings.load(os.environ.get("EDINSIGHTS_HOME"))


def _secret_key(home: Path) -> str:
    path = home / "secret_key"
    create_private_file(path, secrets.token_urlsafe(50))  # 0600 from the start; kept if present
    return path.read_text().strip()


SECRET_KEY = _secret_key(EDINSIGHTS.home)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver", *EDINSIGHTS.hosts]

# The core's apps, then each analytics module's (edinsights.modules).
INSTALLED_APPS = module_apps(
    [
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django.contrib.humanize",
        "django.contrib.staticfiles",
        "rest_framework",
        "knox",  # API tokens, stored as digests (edinsights.api.tokens)
        "drf_spectacular",
        "drf_spectacular_sidecar",
        "social_django",
        "axes",
        "edinsights.results",
        "edinsights.api",
        "edinsights.dashboard",
        "edinsights.web",
    ]
)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (the API docs' Swagger UI and Redoc, the dashboard's scripts) come from the
    # installed packages through WhiteNoise: no collectstatic step, no CDN.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so that static files keep its caching headers (see edinsights.web.security).
    "edinsights.web.security.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "edinsights.web.urls"
WSGI_APPLICATION = "edinsights.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # `backends`: the sign-in page offers the LMS when its backend is configured.
                "social_django.context_processors.backends",
            ]
        },
    }
]

DATABASES = {"default": database_settings(EDINSIGHTS.results_db)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:courses"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on with the Open edX LMS (edx-auth-backends on social-auth), on when edinsights.toml
# has an [sso] section; edinsights' own accounts sign in with a password either way.
SSO = EDINSIGHTS.sso
AUTHENTICATION_BACKENDS = [
    # First: refuses any sign-in (password or SSO) of a locked-out account or address.
    "axes.backends.AxesStandaloneBackend",
    *(["edinsights.web.sso.OpenEdxOAuth2"] if SSO else []),
    "django.contrib.auth.backends.ModelBackend",
]
SOCIAL_AUTH_URL_NAMESPACE = "social"
SOCIAL_AUTH_PIPELINE = [
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_uid",
    "social_core.pipeline.social_auth.auth_allowed",
    "social_core.pipeline.social_auth.social_user",
    # The LMS username is the identity: an account of that name here is the same person (as in
    # every Open edX service), rather than social-auth's default of creating "name1a2b…".
    "auth_backends.pipeline.get_user_if_exists",
    "social_core.pipeline.user.create_user",
    "social_core.pipeline.social_auth.associate_user",
    "social_core.pipeline.social_auth.load_extra_data",
    "social_core.pipeline.user.user_details",
    # social-auth treats email as protected; the LMS's address is the current one.
    "auth_backends.pipeline.update_email",
    "edinsights.web.sso.lms_roles",
]
SOCIAL_AUTH_USER_FIELDS = ["username", "email", "first_name", "last_name"]
if SSO:
    SOCIAL_AUTH_EDX_OAUTH2_KEY = SSO.client_id
    SOCIAL_AUTH_EDX_OAUTH2_SECRET = SSO.client_secret
    SOCIAL_AUTH_EDX_OAUTH2_URL_ROOT = SSO.lms_url
    SOCIAL_AUTH_EDX_OAUTH2_PUBLIC_URL_ROOT = SSO.public_lms_url
    SOCIAL_AUTH_REDIRECT_IS_HTTPS = SSO.redirect_is_https
    if SSO.logout_url:
        # Signing out here then ends the LMS session too, otherwise the next "Sign in with
        # Open edX" would sign the same person straight back in.
        LOGOUT_REDIRECT_URL = SSO.logout_url

LANGUAGE_CODE = "en"
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "edinsights.api.authentication.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "edinsights.api.renderers.CSVRenderer",
        "edinsights.api.browsable.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": EDINSIGHTS.api_throttle},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "edinsights.api.errors.handle",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "edinsights Data API",
    "DESCRIPTION": "Learning analytics for Open edX, compatible with the Analytics Data API v0.",
    "VERSION": "0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

STATIC_URL = "static/"
STATICFILES_DIRS = static_dirs()
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False


# --- Security (issue 13): sign-in throttling, passwords, headers, HTTPS ---------------------------
# What each setting protects, and what an operator must still do: docs/operations.md, "Security".

# Failed sign-ins (the sign-in page and /admin/login/ alike: both go through authenticate()) are
# counted per username and, separately, per client address; either reaching the limit locks it
# out for the cool-off. `edinsights user unlock` clears an account's count early.
AXES_FAILURE_LIMIT = EDINSIGHTS.sign_in_failures
AXES_COOLOFF_TIME = timedelta(minutes=EDINSIGHTS.sign_in_lockout_minutes)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "edinsights.web.security.lockout_response"
# The client behind a trusted proxy, never an address a client wrote into X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "edinsights.web.security.client_ip"
# Successful sign-ins are in the serve log already; a table of them would only grow.
AXES_DISABLE_ACCESS_LOG = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Content-Security-Policy (django-csp) on every response: the pages load their scripts and styles
# from this server only and run no inline script. Signing in with the LMS and signing out to it
# are form posts that redirect there, which `form-action` must allow.
_FORM_TARGETS = [
    f"{parts.scheme}://{parts.netloc}"
    for url in ((SSO.public_lms_url or SSO.lms_url, SSO.logout_url) if SSO else ())
    if url and (parts := urlsplit(url)).netloc
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF, *dict.fromkeys(_FORM_TARGETS)],
    }
}

# `[web] https = true`: the server is reached over HTTPS (a TLS proxy in front of gunicorn).
if EDINSIGHTS.https:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # A year, the usual value; sub-domains (includeSubDomains) are the operator's call.
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in EDINSIGHTS.hosts]

# ---- Error logging (issue 13, point 4) --------------------------------------------------------
# Every unhandled exception of a page or the API (a 500) is logged with its traceback to stderr,
# which `edinsights serve` (gunicorn, whose workers inherit it) carries: the serve log. Django logs
# the pages' 500s on `django.request`, api.errors the API's on `edinsights.api.errors`. Without this,
# Django's default sends them only to e-mail (ADMINS, unset) when DEBUG is off: nothing was logged.
# 4xx answers stay out (`django.request` logs those as warnings); requests Django refuses
# (`django.security`: a wrong Host header, a field limit) get one line each, no traceback.
_SERVE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "serve": {"format": _SERVE_FORMAT},
        "one_line": {"()": "edinsights.web.logs.OneLineFormatter", "format": _SERVE_FORMAT},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "serve"},
        "stderr_one_line": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "one_line",
        },
    },
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "ERROR"},
        "django.security": {"handlers": ["stderr_one_line"], "level": "ERROR", "propagate": False},
        "edinsights": {"handlers": ["stderr"], "level": "WARNING"},
    },
}

# ---- Request limits (issue 13, point 7) -------------------------------------------------------
# Django's defaults, stated: at most 1,000 fields in a query string or form and 2.5 MiB of body
# (files excluded). Over them, the API answers 400 / 413 in its JSON error format (api.errors) and
# the pages a plain error page (web.limits, `handler400`), never a 500.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 100
