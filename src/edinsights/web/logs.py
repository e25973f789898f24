"""Formatting of the serve log's lines (LOGGING in web/settings.py)."""

from __future__ import annotations

import logging


class OneLineFormatter(logging.Formatter):
    """A record's message without its traceback: for `django.security`, whose refusals (a `Host`
    not served, a field limit) carry the exception but are the client's doing, not a bug to
    debug; scanners on the internet send wrong `Host`s all day."""

    def format(self, record: logging.LogRecord) -> str:
        brief = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return super().format(brief)
