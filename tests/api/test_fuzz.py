"""Fuzz every Data API operation from its OpenAPI schema: no input may produce a server error.

Schemathesis generates valid and invalid requests (odd path characters, NUL bytes, long values,
dates out of range, unknown fields) from `/api/schema/`; 4xx answers are expected for fuzzed
input, a 5xx never is. Runs once per result-store backend, against the live server of `live_api`.
"""

from __future__ import annotations

import itertools
from urllib.parse import quote

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.api.conftest import LiveApi, edinsights

EXAMPLES = 30
"""Fuzzed examples per operation: enough to hit the odd inputs, few enough for ~1 min a backend."""

BODY_TYPES = ("application/json", "text/csv")

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


USERS = itertools.count()


def authorization(token: str) -> dict[str, str]:
    return {"Authorization": f"Token {token}"}


@pytest.fixture
def fuzz_token(live_api: LiveApi) -> str:
    """A token like `live_api.tokens["all"]` (every course), for a user of its own per test.

    The API throttles per user (`api.throttle`, 1200/minute): the fuzzing of both tests on one
    user would be answered 429 in part, and `known_ids` could be throttled too.
    """
    name = f"fuzz{next(USERS)}"
    return edinsights(live_api.home, live_api.results_db, "token", "create", name, "--all-courses").strip()


@pytest.fixture(scope="session")
def api_schema(live_api: LiveApi) -> schemathesis.BaseSchema:
    root = live_api.url.removesuffix("/api/v0")
    response = requests.get(
        f"{root}/api/schema/?format=json", headers=authorization(live_api.tokens["all"]), timeout=30
    )
    response.raise_for_status()
    schema = schemathesis.openapi.from_dict(response.json())
    schema.config.update(base_url=root)
    return schema


@pytest.fixture(scope="session")
def known_ids(live_api: LiveApi) -> dict[str, str]:
    """Path parameters that exist in the results, so that fuzzed query parameters reach the database."""
    course = live_api.courses[0]
    prefix = f"courses/{quote(course, safe=':+')}"
    problems = live_api.get(f"{prefix}/problems/").json()
    videos = live_api.get(f"{prefix}/videos/").json()
    assert problems and videos, "the simulated course has no problems or videos to fuzz with"
    return {
        "course_id": course,
        "problem_id": problems[0]["module_id"],
        "video_id": videos[0]["pipeline_video_id"],
    }


@pytest.fixture(autouse=True)
def legacy_node_id(request: pytest.FixtureRequest) -> None:
    """Schemathesis 4.32 reads and sets `Function._nodeid`, which pytest 9.2 no longer has.

    Without it every `from_fixture` test fails with an AttributeError; a plain attribute is enough
    (schemathesis only uses it to label the operations it runs).
    """
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


def call_and_check(case: schemathesis.Case, token: str) -> None:
    response = case.call_and_validate(headers=authorization(token), checks=[not_a_server_error])
    assert response.status_code != 429, "throttled: fewer EXAMPLES, or a higher api.throttle"
    # Bodies are JSON or CSV; `status` and `authenticated` answer 200 with no body at all.
    if response.status_code < 300 and response.content:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith(BODY_TYPES), f"{case.method} {case.formatted_path}: {content_type}"


@FUZZ
@schema.parametrize()
def test_no_server_error(case: schemathesis.Case, fuzz_token: str) -> None:
    call_and_check(case, fuzz_token)


@FUZZ
@schema.include(path_regex=r"\{\w+\}").parametrize()
def test_no_server_error_for_known_ids(
    case: schemathesis.Case, fuzz_token: str, known_ids: dict[str, str]
) -> None:
    """Fuzzed ids are nearly always a 400 or 404: with real ones, the fuzzed dates and types get used."""
    # Sent percent-encoded: schemathesis joins paths with `urljoin`, which folds the `//` of `i4x://…`.
    case.path_parameters = {name: quote(known_ids[name], safe=":+@") for name in case.path_parameters or {}}
    call_and_check(case, fuzz_token)
