"""Set up and run the web side: migrations, the demo sign-in, gunicorn."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from edinsights.config import Settings, create_private_file

DEMO_USERNAME = "demo"


def setup_django(settings: Settings) -> None:
    """Point Django at this home directory and bring the result store's tables up to date."""
    os.environ["EDINSIGHTS_HOME"] = str(settings.home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edinsights.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def demo_sign_in(settings: Settings) -> tuple[str, str]:
    """The demo superuser's name and password: made once, kept in HOME/demo/sign-in."""
    from django.contrib.auth import get_user_model

    path: Path = settings.home / "demo" / "sign-in"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    create_private_file(path, secrets.token_urlsafe(12))  # 0600 from the start; kept if present
    password = path.read_text().strip()
    user, _ = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return DEMO_USERNAME, password


def serve(host: str, port: int, workers: int) -> None:
    """Run the WSGI application under gunicorn (blocks until stopped)."""
    from django.conf import settings
    from gunicorn.app.base import BaseApplication

    from edinsights.web.wsgi import application

    proxies = ",".join(settings.EDINSIGHTS.trusted_proxies)

    class _Gunicorn(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            # X-Forwarded-Proto makes a request https (wsgi.url_scheme) only when it comes from a
            # `[web] trusted_proxies` address; gunicorn ignores it from anyone else. Its default
            # (loopback trusted, three scheme headers) is replaced: nothing is trusted unless
            # configured, and one header is what the documented nginx setup sends.
            self.cfg.set("forwarded_allow_ips", proxies)
            self.cfg.set("secure_scheme_headers", {"X-FORWARDED-PROTO": "https"})

        def load(self):  # type: ignore[no-untyped-def]
            return application

    _Gunicorn().run()
