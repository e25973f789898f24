"""WSGI entry point of the stand-in LMS (gunicorn tests.sso.lms.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.sso.lms.settings")
application = get_wsgi_application()
