"""Unexpected errors answer a bare JSON 500: no traceback, no SQL, no exception text."""

from __future__ import annotations

import logging

import pytest


def test_an_unexpected_error_says_nothing_but_is_logged(
    django_home, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    from django.db import ProgrammingError
    from rest_framework.exceptions import NotFound

    from edinsights.api.errors import handle

    secret = 'relation "course_enrollment_daily" does not exist: SELECT * FROM course_enrollment_daily'
    with caplog.at_level(logging.ERROR, logger="edinsights.api.errors"):
        response = handle(ProgrammingError(secret), {"view": object()})
    assert response.status_code == 500 and response.data == {"detail": "internal error"}
    assert secret in caplog.text  # the operator still sees it, in the log
    # DRF's own errors keep their status and message.
    assert handle(NotFound("no results"), {"view": object()}).status_code == 404
