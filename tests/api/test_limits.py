"""Requests over Django's limits: 400 (too many fields) or 413 (body too large), with a message.

Django's own limits (DATA_UPLOAD_MAX_NUMBER_FIELDS = 1,000, DATA_UPLOAD_MAX_MEMORY_SIZE = 2.5 MiB)
raise while the view reads the request; the API used to answer those with its bare 500 and the
pages with a bare 400. In-process (Django's test client), through the real URL conf and middleware.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

COURSE = "course-v1:edX+Limits+2024"
MANY_FIELDS = urlencode([(f"f{number}", "x") for number in range(1001)])
BIG_VALUE = "x" * 2_700_000
BIG_BODIES = {
    "application/x-www-form-urlencoded": f"course_ids={BIG_VALUE}",
    "application/json": json.dumps({"course_ids": BIG_VALUE}),
    "multipart/form-data; boundary=b": (
        f'--b\r\nContent-Disposition: form-data; name="course_ids"\r\n\r\n{BIG_VALUE}\r\n--b--\r\n'
    ),
}
BIG_BODY = BIG_BODIES["application/x-www-form-urlencoded"]
POST_ENDPOINTS = ("/api/v0/course_summaries/", "/api/v0/course_totals/")
GET_ENDPOINTS = (
    "/api/v0/course_summaries/",
    "/api/v0/course_totals/",
    f"/api/v0/courses/{COURSE}/enrollment/",
    f"/api/v0/courses/{COURSE}/videos/",
    "/api/v0/problems/block-v1:edX+Limits+2024+type@problem+block@p/answer_distribution/",
)


@pytest.fixture(scope="module")
def api(django_home):  # type: ignore[no-untyped-def]
    from django.test import Client

    from edinsights.api.tokens import create_token

    token = create_token("limits-reader", [], all_courses=True)
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def refused(response, status: int, words: str) -> None:  # type: ignore[no-untyped-def]
    """The API's JSON error format: `{"detail": message}`, the message naming the limit."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert words in json.loads(response.content)["detail"]


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_too_many_form_fields_are_400(api, endpoint: str) -> None:  # type: ignore[no-untyped-def]
    response = api.post(endpoint, MANY_FIELDS, content_type="application/x-www-form-urlencoded")
    refused(response, 400, "too many fields")


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
@pytest.mark.parametrize("content_type", BIG_BODIES)
def test_a_body_too_large_is_413(api, endpoint: str, content_type: str) -> None:  # type: ignore[no-untyped-def]
    refused(api.post(endpoint, BIG_BODIES[content_type], content_type=content_type), 413, "too large")


@pytest.mark.parametrize("endpoint", GET_ENDPOINTS)
def test_too_many_query_parameters_are_400(api, endpoint: str) -> None:  # type: ignore[no-untyped-def]
    refused(api.get(f"{endpoint}?{MANY_FIELDS}"), 400, "too many fields")


def test_the_limits_are_the_ones_stated(api) -> None:  # type: ignore[no-untyped-def]
    """1,000 fields and 2.5 MiB pass (a 200, not a refusal): the limits are where the docs say."""
    fields = urlencode([("course_ids", COURSE)] + [(f"f{number}", "x") for number in range(999)])
    assert (
        api.post(POST_ENDPOINTS[0], fields, content_type="application/x-www-form-urlencoded").status_code
        == 200
    )
    assert api.get(f"{POST_ENDPOINTS[1]}?{fields}").status_code == 200


def test_dashboard_pages_answer_a_plain_error_page(django_home) -> None:  # type: ignore[no-untyped-def]
    """The sign-in form and the pages: a page with the message, 400 or 413, never a 500."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    form = Client()
    response = form.post("/accounts/login/", MANY_FIELDS, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "too many fields" in response.content.decode()
    assert "<html" in response.content.decode()
    response = form.post("/accounts/login/", BIG_BODY, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413 and "too large" in response.content.decode()
    signed_in = Client()
    signed_in.force_login(get_user_model().objects.get_or_create(username="limits-staff", is_staff=True)[0])
    for page in ("/courses/", "/accounts/login/"):
        response = signed_in.get(f"{page}?{MANY_FIELDS}")
        assert response.status_code == 400 and "too many fields" in response.content.decode(), page


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_json_nested_too_deeply_is_400(api, endpoint: str) -> None:  # type: ignore[no-untyped-def]
    """Found by the fuzzing of stranger bodies (test_fuzz): json.loads' RecursionError was a 500."""
    body = "[" * 100_000 + "]" * 100_000
    refused(api.post(endpoint, body, content_type="application/json"), 400, "nested too deeply")
