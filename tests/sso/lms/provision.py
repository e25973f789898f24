"""Create or update the stand-in LMS's database, accounts and OAuth2 clients from a JSON spec.

    python -m tests.sso.lms.provision '{"users": [...], "clients": [...]}'

users: {"username", "password", "email", "first_name", "last_name", "is_staff", "is_superuser"};
clients: {"client_id", "client_secret", "redirect_uri"}. Running it again updates what exists.
"""

from __future__ import annotations

import json
import os
import sys


def main(spec: dict) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.sso.lms.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import get_application_model

    call_command("migrate", verbosity=0, interactive=False)
    for fields in spec.get("users", []):
        fields = dict(fields)
        password = fields.pop("password")
        user, _ = get_user_model().objects.update_or_create(username=fields.pop("username"), defaults=fields)
        user.set_password(password)
        user.save()
    application_model = get_application_model()
    for client in spec.get("clients", []):
        application, _ = application_model.objects.get_or_create(client_id=client["client_id"])
        application.name = f"edinsights ({client['client_id']})"
        application.client_secret = client["client_secret"]  # hashed on save
        application.client_type = application_model.CLIENT_CONFIDENTIAL
        application.authorization_grant_type = application_model.GRANT_AUTHORIZATION_CODE
        application.redirect_uris = client["redirect_uri"]
        # The LMS marks its own services' clients "skip authorization": no consent page.
        application.skip_authorization = True
        application.save()


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
