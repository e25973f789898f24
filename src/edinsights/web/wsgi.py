"""WSGI entry point: `edinsights serve` runs it under gunicorn."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edinsights.web.settings")
# As django.core.wsgi.get_wsgi_application, with a request class that cannot fail while it is
# built (web.limits.Request: over-limit query strings are a 400, never a bare 500).
django.setup(set_prefix=False)

from edinsights.web.limits import WSGIHandler  # noqa: E402 (needs the settings above)

application = WSGIHandler()
