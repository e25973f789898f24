"""A stand-in Open edX LMS for the single sign-on tests: an OAuth2 provider (django-oauth-toolkit)
on the LMS's paths, issuing JWT access tokens the way the LMS does. Run it with
DJANGO_SETTINGS_MODULE=tests.sso.lms.settings and LMS_DATABASE pointing at a SQLite file."""
