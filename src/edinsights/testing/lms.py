"""A stand-in Open edX LMS for the structure import: the token endpoint and the three APIs.

`StandInLms(catalog, documents)` serves, on a free loopback port in a background thread:

- `POST /oauth2/access_token` (client credentials, `token_type=jwt`): an HS256 JWT for the
  registered client, `{"access_token", "token_type": "JWT", "expires_in", "scope"}`; a wrong
  client or secret gets 401 `invalid_client`;
- `GET /api/courses/v1/courses/?page=&page_size=`: the catalog entries, paginated with an
  absolute `pagination.next` as the LMS gives it;
- `GET /api/courses/v2/blocks/?course_id=…&all_blocks=true&depth=all&requested_fields=…`:
  `{"root", "blocks"}` (fields without a value left out, `children` only when there are some);
- `GET /api/grades/v1/policy/courses/<course id>/`: the grader entries.

Every API wants `Authorization: JWT <token>` with a token it issued and has not expired
(`expire_tokens()` expires them all: the next call gets 401). `documents(course_id)` returns the
course's (blocks answer, policy answer), or None for a 404 (a listed course whose blocks are
gone). `fail(path_prefix, statuses)` makes the next requests there answer those statuses
(retries); `requests` records (method, path) of every request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import orjson

from edinsights.structure.model import CourseStructure

Documents = Callable[[str], tuple[dict[str, Any], list[dict[str, Any]]] | None]


def api_documents(structure: CourseStructure) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """A structure as the LMS's three APIs give it: (catalog entry, blocks answer, policy answer).

    Values are given as stored (the LMS answers inherited values; OLX writes them once): call
    traversal.inherit on the structure first to answer as an LMS does.
    """
    course = structure.course
    entry = {
        "id": course.course_id,
        "course_id": course.course_id,
        "name": course.name,
        "org": course.org,
        "number": course.number,
        "start": _iso(course.start_date),
        "end": _iso(course.end_date),
        "enrollment_start": _iso(course.enrollment_start),
        "enrollment_end": _iso(course.enrollment_end),
        "pacing": course.pacing,
        "blocks_url": f"/api/courses/v2/blocks/?course_id={course.course_id}",
        "short_description": "",
        "start_display": None,
        "start_type": "timestamp",
        "effort": None,
    }
    blocks: dict[str, Any] = {}
    for block_id, block in structure.blocks.items():
        answer: dict[str, Any] = {
            "id": block_id,
            "block_id": block_id.rsplit("@", 1)[-1].rsplit("/", 1)[-1],
            "type": block.block_type,
            "display_name": block.display_name,
            "graded": block.graded,
        }
        if block.children:
            answer["children"] = list(block.children)
        for name, value in (("format", block.format), ("due", _iso(block.due)), ("start", _iso(block.start))):
            if value is not None:
                answer[name] = value
        blocks[block_id] = answer
    policy = [
        {
            "assignment_type": entry_.assignment_type,
            "count": entry_.min_count,
            "dropped": entry_.drop_count,
            "weight": entry_.weight,
        }
        for entry_ in structure.grading_policy
    ]
    return entry, {"root": structure.root, "blocks": blocks}, policy


def _iso(moment: Any) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class StandInLms:
    def __init__(
        self,
        catalog: Sequence[Mapping[str, Any]],
        documents: Documents,
        client_id: str = "edinsights-structure",
        client_secret: str = "structure-secret",
        token_lifetime: float = 3600,
    ) -> None:
        self.catalog = list(catalog)
        self.documents = documents
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_lifetime = token_lifetime
        self.requests: list[tuple[str, str]] = []
        self._tokens: dict[str, float] = {}
        self._failures: list[tuple[str, int]] = []
        self._lock = threading.Lock()
        self._key = secrets.token_bytes(32)
        self._server: ThreadingHTTPServer | None = None
        self.url = ""

    @classmethod
    def of_structures(cls, structures: Sequence[CourseStructure], **kwargs: Any) -> StandInLms:
        """An LMS holding these courses (their values served as stored)."""
        answers = {structure.course_id: api_documents(structure) for structure in structures}

        def documents(course_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
            found = answers.get(course_id)
            return None if found is None else (found[1], found[2])

        return cls([answer[0] for answer in answers.values()], documents, **kwargs)

    # ---- controls ----

    def expire_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    def fail(self, path_prefix: str, statuses: Sequence[int]) -> None:
        """The next len(statuses) requests whose path starts with `path_prefix` answer these."""
        with self._lock:
            self._failures.extend((path_prefix, status) for status in statuses)

    # ---- serving ----

    @contextmanager
    def serving(self) -> Iterator[StandInLms]:
        lms = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                lms._handle(self, "POST")

            def do_GET(self) -> None:
                lms._handle(self, "GET")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=10)

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        path = parts.path
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        with self._lock:
            self.requests.append((method, path))
            failure = next((f for f in self._failures if path.startswith(f[0])), None)
            if failure is not None:
                self._failures.remove(failure)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        if failure is not None:
            return _answer(handler, failure[1], {"detail": "a failure the test asked for"})
        if method == "POST" and path == "/oauth2/access_token":
            return self._token(handler, {k: v[-1] for k, v in parse_qs(body.decode()).items()})
        if method != "GET":
            return _answer(handler, 405, {"detail": "method not allowed"})
        if not self._authorized(handler.headers.get("Authorization", "")):
            return _answer(
                handler, 401, {"detail": "Authentication credentials were not provided or expired."}
            )
        if path == "/api/courses/v1/courses/":
            return self._courses(handler, query)
        if path == "/api/courses/v2/blocks/":
            return self._blocks(handler, query)
        prefix = "/api/grades/v1/policy/courses/"
        if path.startswith(prefix) and path.endswith("/"):
            found = self.documents(unquote(path[len(prefix) : -1]))
            if found is None:
                return _answer(handler, 404, {"detail": "Not found."})
            return _answer(handler, 200, found[1])
        return _answer(handler, 404, {"detail": "Not found."})

    def _token(self, handler: BaseHTTPRequestHandler, form: dict[str, str]) -> None:
        if form.get("grant_type") != "client_credentials":
            return _answer(handler, 400, {"error": "unsupported_grant_type"})
        if not (
            hmac.compare_digest(form.get("client_id", ""), self.client_id)
            and hmac.compare_digest(form.get("client_secret", ""), self.client_secret)
        ):
            return _answer(handler, 401, {"error": "invalid_client"})
        now = time.time()
        claims = {
            "iss": f"{self.url}/oauth2",
            "sub": self.client_id,
            "aud": "edinsights",
            "iat": int(now),
            "exp": int(now + self.token_lifetime),
            "scopes": ["read"],
            "jti": secrets.token_hex(8),
        }
        token = self._jwt(claims)
        with self._lock:
            self._tokens[token] = now + self.token_lifetime
        kind = "JWT" if form.get("token_type", "").lower() == "jwt" else "Bearer"
        return _answer(
            handler,
            200,
            {
                "access_token": token,
                "token_type": kind,
                "expires_in": int(self.token_lifetime),
                "scope": "read",
            },
        )

    def _jwt(self, claims: dict[str, Any]) -> str:
        def encode(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        header = encode(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        signing = f"{header}.{encode(json.dumps(claims).encode())}"
        signature = hmac.new(self._key, signing.encode(), hashlib.sha256).digest()
        return f"{signing}.{encode(signature)}"

    def _authorized(self, header: str) -> bool:
        scheme, _, token = header.partition(" ")
        if scheme != "JWT":
            return False
        with self._lock:
            expires = self._tokens.get(token)
        return expires is not None and expires > time.time()

    def _courses(self, handler: BaseHTTPRequestHandler, query: dict[str, str]) -> None:
        size = max(1, min(int(query.get("page_size", "10")), 100))
        page = int(query.get("page", "1"))
        pages = max(1, -(-len(self.catalog) // size))
        if page > pages:
            return _answer(handler, 404, {"detail": "Invalid page."})
        results = self.catalog[(page - 1) * size : page * size]
        following = (
            f"{self.url}/api/courses/v1/courses/?page={page + 1}&page_size={size}" if page < pages else None
        )
        previous = (
            f"{self.url}/api/courses/v1/courses/?page={page - 1}&page_size={size}" if page > 1 else None
        )
        pagination = {"next": following, "previous": previous, "count": len(self.catalog), "num_pages": pages}
        return _answer(handler, 200, {"results": results, "pagination": pagination})

    def _blocks(self, handler: BaseHTTPRequestHandler, query: dict[str, str]) -> None:
        if query.get("all_blocks") != "true" or query.get("depth") != "all":
            return _answer(handler, 400, {"detail": "this stand-in answers all_blocks=true&depth=all only"})
        found = self.documents(query.get("course_id", ""))
        if found is None:
            return _answer(handler, 404, {"detail": "Course not found."})
        requested = set((query.get("requested_fields") or "").split(","))
        blocks = found[0]
        if not {"children", "display_name", "type", "graded", "format", "due", "start"} <= requested:
            keep = requested | {"id", "block_id", "type", "display_name"}
            blocks = {
                "root": blocks["root"],
                "blocks": {k: {f: v for f, v in b.items() if f in keep} for k, b in blocks["blocks"].items()},
            }
        return _answer(handler, 200, blocks)


def _answer(handler: BaseHTTPRequestHandler, status: int, body: object) -> None:
    data = orjson.dumps(body)
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)
