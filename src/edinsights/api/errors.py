"""Errors as JSON bodies, never a traceback or SQL: DRF's own errors, and a 500 that says nothing."""

from __future__ import annotations

import logging
from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler

log = logging.getLogger(__name__)


def handle(error: Exception, context: dict[str, Any]) -> Response:
    response = exception_handler(error, context)
    if response is not None:
        return response
    # Anything else is our bug: logged with its traceback, answered without details.
    log.error("unhandled error in %s", context.get("view").__class__.__name__, exc_info=error)
    return Response({"detail": "internal error"}, status=500)
