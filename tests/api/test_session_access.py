"""Dashboard users (session sign-in) read the API through the same per-course grants as tokens."""

from __future__ import annotations


def test_a_signed_in_user_reads_only_granted_courses(django_home) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model
    from django.test import Client

    from edinsights.api.tokens import grant

    grant("session-user", ["course-v1:edX+Granted+2024"])
    client = Client()
    assert client.get("/api/v0/courses/course-v1:edX+Granted+2024/enrollment/").status_code in (401, 403)
    client.force_login(get_user_model().objects.get(username="session-user"))
    assert client.get("/api/v0/courses/course-v1:edX+Granted+2024/enrollment/").status_code == 200
    assert client.get("/api/v0/courses/course-v1:edX+Other+2024/enrollment/").status_code == 404
    staff = get_user_model().objects.create_user("session-staff", is_staff=True)
    client.force_login(staff)
    assert client.get("/api/v0/courses/course-v1:edX+Other+2024/enrollment/").status_code == 200
