"""Template filters that format a cell or tile value by its kind (the CSV keeps raw values)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format

from edinsights.dashboard.presentation import DATE, DURATION, NUMBER, PERCENT

register = template.Library()

MISSING = "–"


@register.filter
def shown(value: Any, kind: str = NUMBER) -> str:
    """`value` as the page shows it: 1,234 · 45.6 % · 3:05 · 2024-03-04; "–" when unknown."""
    if value is None or value == "":
        return MISSING
    if kind == PERCENT:
        return f"{number_format(value, 1)} %"
    if kind == DURATION:
        seconds = int(value)
        return f"{seconds // 60}:{seconds % 60:02d}"
    if kind == DATE and isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if kind == NUMBER and isinstance(value, int | float):
        return intcomma(value)
    return str(value)
