"""Requests over Django's upload limits: the status and message to answer them with.

Django raises `RequestDataTooBig` (a body over `DATA_UPLOAD_MAX_MEMORY_SIZE`), `TooManyFieldsSent`
(a form body or query string over `DATA_UPLOAD_MAX_NUMBER_FIELDS`) and `TooManyFilesSent`; all
are `SuspiciousOperation`s, which Django answers with a bare 400. Here a body too large is a 413
and every refusal says which limit was hit: for the API (api.errors) and as `handler400` (bad_request).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.handlers.wsgi import WSGIHandler as DjangoWSGIHandler
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def refusal(error: BaseException | None) -> tuple[int, str]:
    """(HTTP status, message) for a request Django refused while reading it."""
    if isinstance(error, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return 413, f"request body too large: at most {limit:,} bytes (files excluded) are accepted"
    if isinstance(error, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return 400, f"too many fields in the query string or the form: at most {limit:,} are accepted"
    if isinstance(error, TooManyFilesSent):
        return 400, f"too many files: at most {settings.DATA_UPLOAD_MAX_NUMBER_FILES:,} are accepted"
    return 400, "bad request"


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """Django's `handler400` (SuspiciousOperation, over-limit requests raised outside a view):
    the API's JSON error format under /api/, else a plain page with the message; 413 when too large."""
    status, message = refusal(exception)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return render(request, "dashboard/bad_request.html", {"message": message}, status=status)


class Request(WSGIRequest):
    """Django's WSGI request, but one whose construction cannot fail over the field limit.

    A `Content-Type` with a charset (`application/json; charset=utf-16`, on a GET too) makes
    Django's `encoding` setter test `hasattr(self, "GET")`, which parses the query string while
    the request is being built, outside every exception handler: over 1,000 fields, gunicorn
    answered a bare 500. Here the setter only drops a query dict that was already parsed, so the
    limit is met where the view reads it (and answered 400 like any other refusal).
    """

    @property
    def encoding(self) -> str | None:
        return self._encoding

    @encoding.setter
    def encoding(self, value: str | None) -> None:
        self._encoding = value
        self.__dict__.pop("GET", None)  # the cached_property, if it was computed
        if hasattr(self, "_post"):
            del self._post


class WSGIHandler(DjangoWSGIHandler):
    request_class = Request
