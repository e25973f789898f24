"""The LMS REST APIs → CourseStructures: the Courses API, the Course Blocks API and the grading policy.

Authentication: an OAuth2 client-credentials token from the LMS's `/oauth2/access_token`
(`token_type=jwt`), sent as `Authorization: JWT <token>`. The client is httpx with timeouts; a
request that fails to connect, times out, or gets 429/5xx is tried again (three tries, with a
growing pause, honouring Retry-After up to 30 s). A 401 gets one new token and one more try (a
token that expired during a long import); a second 401 is an error.

Responses (the shapes edx-platform's serializers give):
- `/api/courses/v1/courses/?page_size=N`: `{"results": [{"id" (or "course_id"), "name", "org",
  "number", "start", "end", "enrollment_start", "enrollment_end", "pacing", …}],
  "pagination": {"next": URL or null, "count", "num_pages"}}`; followed through `next`.
- `/api/courses/v2/blocks/?course_id=…&all_blocks=true&depth=all&requested_fields=…`:
  `{"root": usage key, "blocks": {usage key: {"id", "type", "display_name", "children"
  (absent when none), "graded", "format", "due", "start"}}}` (a field without a value is absent).
- `/api/grades/v1/policy/courses/{course_id}/`: `[{"assignment_type", "count", "dropped", "weight"}]`.

A course whose blocks or policy answer 404 is skipped and reported (`LmsImport.skipped`); an
unreachable LMS, a refused client or token, or an answer that is not the JSON expected is an
LmsError whose one line names the LMS (and the course) and the cause.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import orjson

from edinsights.structure.model import (
    Block,
    CourseInfo,
    CourseStructure,
    GraderEntry,
    StructureError,
    parse_datetime,
)

BLOCK_FIELDS = "children,display_name,type,graded,format,due,start"
TIMEOUT = httpx.Timeout(60.0, connect=10.0)
"""Generous for reading: a course of 10,000 blocks is a few MB of JSON that the LMS builds first."""
TRIES = 3
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class LmsError(StructureError):
    """The LMS could not be used (unreachable, credentials refused, an unexpected answer)."""


class CourseNotFound(Exception):
    """The LMS answered 404 for one course's blocks or policy."""


@dataclass
class Skipped:
    course_id: str
    reason: str


@dataclass
class LmsImport:
    courses: list[str] = field(default_factory=list)
    """The courses handed on, in the LMS's order."""
    blocks: int = 0
    skipped: list[Skipped] = field(default_factory=list)


class LmsClient:
    def __init__(
        self,
        lms_url: str,
        client_id: str,
        client_secret: str,
        *,
        timeout: httpx.Timeout = TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.lms_url = lms_url.rstrip("/")
        if not self.lms_url.startswith(("http://", "https://")):
            raise LmsError(f"LMS {lms_url}: not an http:// or https:// URL")
        self.client_id = client_id
        self.client_secret = client_secret
        self._sleep = sleep
        self._token: str | None = None
        self._http = httpx.Client(
            base_url=self.lms_url,
            timeout=timeout,
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "edinsights structure import"},
            follow_redirects=False,
        )

    def __enter__(self) -> LmsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # ---- transport ----

    def _fail(self, cause: str) -> LmsError:
        return LmsError(f"LMS {self.lms_url}: {cause}")

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request with retries on connection errors, timeouts, 429 and 5xx."""
        for attempt in range(1, TRIES + 1):
            try:
                response = self._http.request(method, url, **kwargs)
            except httpx.TransportError as error:
                if attempt == TRIES:
                    cause = " ".join(str(error).split()) or type(error).__name__
                    raise self._fail(f"unreachable ({type(error).__name__}: {cause})") from error
            else:
                if response.status_code not in RETRY_STATUSES or attempt == TRIES:
                    return response
                pause = _retry_after(response)
                if pause is not None:
                    self._sleep(min(pause, 30.0))
                    continue
            self._sleep(0.5 * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # the loop returns or raises

    def token(self) -> str:
        """A new client-credentials JWT from `/oauth2/access_token`."""
        response = self._send(
            "POST",
            "/oauth2/access_token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "token_type": "jwt",
            },
        )
        if response.status_code in {400, 401, 403}:
            raise self._fail(
                f"the token endpoint refused client {self.client_id!r} (HTTP {response.status_code})"
            )
        body = self._json(response, "/oauth2/access_token")
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise self._fail("/oauth2/access_token: the answer holds no access_token")
        self._token = token
        return token

    def get(self, url: str, params: dict[str, str] | None = None, course_id: str | None = None) -> Any:
        """GET an API path (or a full `next` URL on this LMS) as JSON, authenticated."""
        if self._token is None:
            self.token()
        for renewed in (False, True):
            response = self._send("GET", url, params=params, headers={"Authorization": f"JWT {self._token}"})
            if response.status_code != 401:
                break
            if renewed:
                raise self._fail(f"{_path(url)}: the token was refused (HTTP 401) even when new")
            self.token()  # expired during the import: one new token, one more try
        if response.status_code == 404 and course_id is not None:
            raise CourseNotFound(f"HTTP 404 at {_path(url)}")
        if response.status_code != 200:
            where = f"{course_id}: " if course_id else ""
            raise self._fail(f"{where}{_path(url)} answered HTTP {response.status_code}")
        return self._json(response, _path(url), course_id)

    def _json(self, response: httpx.Response, path: str, course_id: str | None = None) -> Any:
        if response.status_code != 200:
            raise self._fail(f"{path} answered HTTP {response.status_code}")
        try:
            return orjson.loads(response.content)  # ~3x json's speed on a 10,000-block answer
        except ValueError as error:  # orjson.JSONDecodeError is one
            where = f"{course_id}: " if course_id else ""
            raise self._fail(f"{where}{path} answered something that is not JSON") from error

    # ---- the three APIs ----

    def courses(self, page_size: int = 100) -> Iterator[dict[str, Any]]:
        """The Courses API's entries, page after page (through `pagination.next`)."""
        url: str | None = "/api/courses/v1/courses/"
        params: dict[str, str] | None = {"page_size": str(page_size)}
        pages = 0
        while url:
            body = self.get(url, params)
            if not isinstance(body, dict) or not isinstance(body.get("results"), list):
                raise self._fail("/api/courses/v1/courses/ answered without a results list")
            yield from (entry for entry in body["results"] if isinstance(entry, dict))
            following = (body.get("pagination") or {}).get("next")
            pages += 1
            if (
                following
                and not str(following).startswith(self.lms_url)
                and not str(following).startswith("/")
            ):
                # The next page must come from this LMS: the token is never sent elsewhere.
                raise self._fail(f"the courses list's next page is on another host ({following})")
            url, params = (following, None) if following and pages < 100_000 else (None, None)

    def blocks(self, course_id: str) -> dict[str, Any]:
        body = self.get(
            "/api/courses/v2/blocks/",
            {"course_id": course_id, "all_blocks": "true", "depth": "all", "requested_fields": BLOCK_FIELDS},
            course_id=course_id,
        )
        if not isinstance(body, dict) or not isinstance(body.get("blocks"), dict) or "root" not in body:
            raise self._fail(f"{course_id}: the blocks API answered without root and blocks")
        return body

    def grading_policy(self, course_id: str) -> list[dict[str, Any]]:
        body = self.get(f"/api/grades/v1/policy/courses/{quote(course_id, safe=':+@')}/", course_id=course_id)
        if not isinstance(body, list):
            raise self._fail(f"{course_id}: the grading policy API answered without a list")
        return body

    def structure(self, entry: dict[str, Any]) -> CourseStructure:
        """One course of the Courses API with its blocks and policy (CourseNotFound on a 404)."""
        course_id = str(entry.get("id") or entry.get("course_id") or "")
        blocks = self.blocks(course_id)
        policy = self.grading_policy(course_id)
        try:
            return structure_from_api(entry, blocks, policy)
        except (ValueError, TypeError, KeyError) as error:
            raise self._fail(f"{course_id}: an answer of unexpected shape ({error!r})") from error


def structure_from_api(
    entry: dict[str, Any], blocks: dict[str, Any], policy: list[dict[str, Any]]
) -> CourseStructure:
    """The three APIs' answers for one course → its CourseStructure."""
    course_id = str(entry.get("id") or entry.get("course_id"))
    course = CourseInfo(
        course_id=course_id,
        name=_text(entry.get("name")),
        org=_text(entry.get("org")),
        number=_text(entry.get("number")),
        start_date=parse_datetime(entry.get("start")),
        end_date=parse_datetime(entry.get("end")),
        enrollment_start=parse_datetime(entry.get("enrollment_start")),
        enrollment_end=parse_datetime(entry.get("enrollment_end")),
        pacing=_text(entry.get("pacing")),
    )
    records: dict[str, Block] = {}
    for key, block in blocks["blocks"].items():
        block_id = str(block.get("id") or key)
        records[block_id] = Block(
            block_id=block_id,
            block_type=str(block.get("type")),
            display_name=str(block.get("display_name") or ""),
            children=[str(child) for child in block.get("children") or []],
            graded=bool(block.get("graded", False)),
            format=_text(block.get("format")),
            due=parse_datetime(block.get("due")),
            start=parse_datetime(block.get("start")),
        )
    grading = [
        GraderEntry(
            assignment_type=str(item["assignment_type"]),
            weight=float(item.get("weight") or 0),
            drop_count=int(item.get("dropped") or 0),
            min_count=int(item.get("count") or 0),
        )
        for item in policy
    ]
    return CourseStructure(course=course, root=str(blocks["root"]), blocks=records, grading_policy=grading)


def fetch_structures(
    client: LmsClient,
    on_course: Callable[[CourseStructure], object],
    course_ids: Sequence[str] | None = None,
    workers: int = 4,
) -> LmsImport:
    """Every course of the Courses API (or those of `course_ids`) with its blocks and policy.

    Courses are fetched `workers` at a time (the LMS builds each block tree; the client waits)
    and handed to `on_course` in the LMS's order as they arrive, so that an import writes each
    and lets it go: at most about twice `workers` courses are in memory at once.
    """
    client.token()  # a refused client fails before anything else is asked
    wanted = set(course_ids) if course_ids else None
    entries = [
        entry
        for entry in client.courses()
        if wanted is None or str(entry.get("id") or entry.get("course_id")) in wanted
    ]
    result = LmsImport()
    if wanted:
        listed = {str(entry.get("id") or entry.get("course_id")) for entry in entries}
        result.skipped.extend(Skipped(c, "not in the LMS's course list") for c in sorted(wanted - listed))

    def one(entry: dict[str, Any]) -> CourseStructure | Skipped:
        try:
            return client.structure(entry)
        except CourseNotFound as error:
            return Skipped(str(entry.get("id") or entry.get("course_id")), str(error))

    def consume(outcome: CourseStructure | Skipped) -> None:
        if isinstance(outcome, Skipped):
            result.skipped.append(outcome)
        else:
            on_course(outcome)
            result.courses.append(outcome.course_id)
            result.blocks += len(outcome.blocks)

    window: deque[Future[CourseStructure | Skipped]] = deque()
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        try:
            for entry in entries:
                window.append(pool.submit(one, entry))
                if len(window) >= 2 * max(1, workers):
                    consume(window.popleft().result())
            while window:
                consume(window.popleft().result())
        finally:
            for future in window:
                future.cancel()
    return result


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _path(url: str) -> str:
    return httpx.URL(url).path or url


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return None
