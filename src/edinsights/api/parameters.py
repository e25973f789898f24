"""Request parameters: course and module keys, dates, lists. Anything malformed is a 400."""

from __future__ import annotations

from datetime import date, datetime
from typing import overload

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey
from rest_framework.exceptions import ValidationError

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%dT%H%M%S"
"""The original API's datetime format (`2014-12-15T000000`), kept for its clients."""


def course_key(raw: str) -> str:
    """The canonical string of a course key (`course-v1:...` or `Org/Course/Run`)."""
    try:
        return str(CourseKey.from_string(raw))
    except InvalidKeyError:
        raise ValidationError({"course_id": f"not a valid course key: {raw!r}"}) from None


def module_key(raw: str) -> str:
    """A usage key (`block-v1:...` or `i4x://...`), as the results store it."""
    try:
        return str(UsageKey.from_string(raw))
    except InvalidKeyError:
        raise ValidationError({"module_id": f"not a valid usage key: {raw!r}"}) from None


def optional_date(params, name: str) -> date | None:  # type: ignore[no-untyped-def]
    """`YYYY-MM-DD`, or the original's `YYYY-MM-DDTHHMMSS` (the time is ignored: results are daily)."""
    raw = params.get(name)
    if raw in (None, ""):
        return None
    if not isinstance(raw, str):  # a JSON body can hold any type
        raise ValidationError({name: f"expected YYYY-MM-DD or YYYY-MM-DDTHHMMSS, got {raw!r}"})
    for pattern in (DATE_FORMAT, DATETIME_FORMAT):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValidationError({name: f"expected YYYY-MM-DD or YYYY-MM-DDTHHMMSS, got {raw!r}"})


def date_range(params) -> tuple[date | None, date | None]:  # type: ignore[no-untyped-def]
    """`start_date` (inclusive) and `end_date` (exclusive), checked for order."""
    start, end = optional_date(params, "start_date"), optional_date(params, "end_date")
    if start and end and start >= end:
        raise ValidationError({"end_date": "must be after start_date (end_date is exclusive)"})
    return start, end


def name_list(params, name: str) -> list[str] | None:  # type: ignore[no-untyped-def]
    """A comma-separated (or repeated) parameter as a list; None when absent."""
    values = params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]
    # A JSON body may hold a list of names where a query string holds repeats or commas.
    flat = [item for value in values for item in (value if isinstance(value, list) else [value])]
    items = [part.strip() for item in flat if item for part in str(item).split(",") if part.strip()]
    return items or None


@overload
def format_datetime(value: datetime) -> str: ...
@overload
def format_datetime(value: datetime | None) -> str | None: ...
def format_datetime(value: datetime | None) -> str | None:
    return value.strftime(DATETIME_FORMAT) if value else None
