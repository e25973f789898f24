"""Errors as JSON bodies, never a traceback or SQL: DRF's own errors, and a 500 that says nothing.

Requests over Django's limits (`DATA_UPLOAD_MAX_NUMBER_FIELDS`, `DATA_UPLOAD_MAX_MEMORY_SIZE`,
`DATA_UPLOAD_MAX_NUMBER_FILES`) raise while a view reads `request.data` or `query_params`; DRF
leaves those to us, so they are answered here: 413 for a body too large, 400 for too many fields.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import SuspiciousOperation
from rest_framework.response import Response
from rest_framework.views import exception_handler

from edinsights.web.limits import refusal

log = logging.getLogger(__name__)


def handle(error: Exception, context: dict[str, Any]) -> Response:
    response = exception_handler(error, context)
    if response is not None:
        return response
    if isinstance(error, SuspiciousOperation):  # RequestDataTooBig, TooManyFieldsSent among them
        status, message = refusal(error)
        # Not our bug, but worth a line in the serve log (no traceback: nothing to debug).
        log.warning("refused request: %s: %s", type(error).__name__, error)
        return Response({"detail": message}, status=status)
    # Anything else is our bug: logged with its traceback, answered without details.
    log.error("unhandled error in %s", context.get("view").__class__.__name__, exc_info=error)
    return Response({"detail": "internal error"}, status=500)
