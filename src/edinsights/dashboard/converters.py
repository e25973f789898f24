"""URL converters of the dashboard's routes, registered on import (modules' page URLs use them)."""

from urllib.parse import quote, unquote

from django.urls import register_converter


class EventIdConverter:
    """An id from events as one URL segment: percent-encoded (`/` → `%2F`, `.` → `%2E`) here, and
    once more by `reverse()`, so that the segment still holds `%2F` after the server decoded the
    path (WSGI's PATH_INFO is decoded) and no `/`, `.` or `..` segment ever reaches the browser.
    Ids of plain characters (`block-v1:edX+DemoX+2024+type@video+block@intro`) stay readable."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return unquote(value)

    def to_url(self, value: str) -> str:
        return quote(value, safe=":+@~-_").replace(".", "%2E")


register_converter(EventIdConverter, "eventid")

COURSE = "courses/<path:course_id>/"
"""The prefix of every course page (course ids may hold slashes: `Org/Course/Run`)."""
