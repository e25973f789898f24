"""Fuzz every Data API operation from its OpenAPI schema: no input may produce a server error.

Schemathesis generates valid and invalid requests (odd path characters, NUL bytes, long values,
dates out of range, unknown fields) from `/api/schema/`; 4xx answers are expected for fuzzed
input, a 5xx never is. Runs once per result-store backend, against the live server of `live_api`.

Then bigger and stranger: the POST operations with bodies grown past Django's field and size
limits (400 / 413 expected), and requests no schema describes (Hypothesis): every operation and
method with odd content types (form, multipart with and without boundary, text/plain, unknown
charsets), bodies (binary, invalid or 100,000-deep JSON, 2.7 MB, 1,001 fields) and headers
(Accept, Content-Encoding, cookies, X-Forwarded-*), and query strings over the field limit.
"""

from __future__ import annotations

import itertools
import json
from urllib.parse import quote

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from tests.api.conftest import LiveApi, edinsights

# Live servers on every backend, and minutes of fuzzing.
pytestmark = [pytest.mark.live, pytest.mark.slow]

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
        # `?format=api` asks for DRF's browsable page (HTML) on purpose, whatever the operation.
        expected = (*BODY_TYPES, "text/html") if (case.query or {}).get("format") == "api" else BODY_TYPES
        assert content_type.startswith(expected), f"{case.method} {case.formatted_path}: {content_type}"


@FUZZ
@schema.parametrize()
def test_no_server_error(case: schemathesis.Case, fuzz_token: str) -> None:
    call_and_check(case, fuzz_token)


@FUZZ
@schema.include(method="POST").parametrize()
def test_no_server_error_for_bigger_bodies(case: schemathesis.Case, fuzz_token: str) -> None:
    """The POST operations again, their generated bodies made bigger and stranger: every value
    repeated past Django's field limit, or grown past its body limit (400 / 413 expected)."""
    if isinstance(case.body, dict) and case.body:
        grown = {
            key: [value] * 600 if not isinstance(value, list) else value * 600
            for key, value in case.body.items()
        }
        case.body = grown if len(json.dumps(grown, default=str)) < 3_000_000 else case.body
    call_and_check(case, fuzz_token)


# Requests no schema describes: the content types, bodies and headers a client (or an attacker)
# may send anyway, to every operation and method. Nothing may answer 5xx.
CONTENT_TYPES = (
    "application/json",
    "application/json; charset=utf-16",
    "application/json; charset=no-such-codec",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=no-such-codec",
    "multipart/form-data; boundary=fuzz",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "text/plain",
    "text/csv",
    "application/xml",
    "application/octet-stream",
    "*/*",
    "",
    "garbage",
)
LIMIT = 2_621_440  # DATA_UPLOAD_MAX_MEMORY_SIZE


def _deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def _multipart(fields: list[tuple[str, str]], boundary: str = "fuzz") -> str:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields
    ]
    return "".join(parts) + f"--{boundary}--\r\n"


BODIES = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=500).map(str.encode),
    st.integers(0, 20).map(lambda extra: ("x" * (LIMIT + extra)).encode()),
    st.sampled_from([LIMIT - 100, LIMIT + 1, 2_700_000]).map(lambda size: b"course_ids=" + b"x" * size),
    st.integers(990, 1100).map(lambda count: "&".join(f"f{n}=x" for n in range(count)).encode()),
    st.integers(990, 1100).map(lambda count: _multipart([(f"f{n}", "x") for n in range(count)]).encode()),
    st.sampled_from(
        [_multipart([("course_ids", "x" * (LIMIT + 10))]), "--fuzz\r\nnot a part", "--fuzz--"]
    ).map(str.encode),
    st.sampled_from([10, 1000, 100_000]).map(lambda depth: _deep_json(depth).encode()),
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
        ),
        max_leaves=50,
    ).map(lambda value: json.dumps(value).encode()),
    st.sampled_from([b"{", b'{"course_ids": ', b"\xff\xfe\x00", b'{"course_ids": NaN}', b"[1, 2,]", b"null"]),
)
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "Accept": st.sampled_from(
            [
                "text/csv",
                "text/csv; q=0",
                "application/json; version=9",
                "image/png",
                "*/*; q=x",
                ",,,",
                "text/html",
            ]
        ),
        "Accept-Language": st.sampled_from(["xx-YY", "*", "en;q=abc", "zh-Hant-TW-x-private-verylongsubtag"]),
        "Accept-Encoding": st.sampled_from(["gzip", "br;q=2", "identity;q=0"]),
        "Content-Encoding": st.sampled_from(["gzip", "deflate", "unknown"]),
        "X-Forwarded-For": st.sampled_from(["1.2.3.4, ::1", "not an address", "x" * 5000]),
        "X-Forwarded-Proto": st.sampled_from(["https", "gopher", ""]),
        "Cookie": st.sampled_from(["sessionid=garbage", "csrftoken=" + "x" * 4000, "=;=;=", "sessionid"]),
        "Referer": st.sampled_from(["http://evil.example/", "::::", ""]),
        "If-Modified-Since": st.sampled_from(["yesterday", "Thu, 01 Jan 1970 00:00:00 GMT"]),
        "Range": st.sampled_from(["bytes=0-1", "bytes=x-y"]),
    },
)
QUERIES = st.one_of(
    st.just(""),
    # Short fields: gunicorn answers 414 for a request line over 4,094 bytes before Django sees it.
    st.integers(990, 1100).map(lambda count: "&".join(["f"] * count)),
    st.sampled_from(
        ["format=csv", "format=xml", "format=", "course_ids=%ff%fe", "fields=%00", "a=%zz", "&&&=&="]
    ),
)
METHODS = ("GET", "POST", "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")
"""GET and POST twice: most operations answer the others 405 before reading anything."""


@pytest.fixture(scope="session")
def operation_paths(api_schema: schemathesis.BaseSchema, known_ids: dict[str, str]) -> list[str]:
    """Every operation's path, with ids that exist (percent-encoded as clients send them)."""
    paths = []
    for result in api_schema.get_all_operations():
        path = result.ok().path
        for name, value in known_ids.items():
            path = path.replace("{" + name + "}", quote(value, safe=":+@"))
        paths.append(path)
    return sorted(set(paths))


@settings(
    max_examples=EXAMPLES * 30,  # 900: under the throttle (1,200/minute), ~10 s a backend
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(
    data=st.data(),
    method=st.sampled_from(METHODS),
    content_type=st.sampled_from(CONTENT_TYPES),
    body=BODIES,
    headers=HEADERS,
    query=QUERIES,
)
def test_no_server_error_for_strange_requests(
    live_api: LiveApi,
    fuzz_token: str,
    operation_paths: list[str],
    data: st.DataObject,
    method: str,
    content_type: str,
    body: bytes,
    headers: dict[str, str],
    query: str,
) -> None:
    path = data.draw(st.sampled_from(operation_paths))
    root = live_api.url.removesuffix("/api/v0")
    sent = {**headers, **authorization(fuzz_token), "Content-Type": content_type}
    response = requests.request(method, f"{root}{path}?{query}", data=body, headers=sent, timeout=60)
    assert response.status_code != 429, "throttled: fewer examples, or a higher api.throttle"
    assert response.status_code < 500, (
        f"{method} {path}?{query[:80]} {content_type!r} {body[:80]!r} {headers}"
    )


@FUZZ
@schema.include(path_regex=r"\{\w+\}").parametrize()
def test_no_server_error_for_known_ids(
    case: schemathesis.Case, fuzz_token: str, known_ids: dict[str, str]
) -> None:
    """Fuzzed ids are nearly always a 400 or 404: with real ones, the fuzzed dates and types get used."""
    # Sent percent-encoded: schemathesis joins paths with `urljoin`, which folds the `//` of `i4x://…`.
    case.path_parameters = {name: quote(known_ids[name], safe=":+@") for name in case.path_parameters or {}}
    call_and_check(case, fuzz_token)
