"""The `shown` filter: a tile's value formatted by its kind (tables format theirs in Python)."""

from __future__ import annotations

from django import template

from edinsights.dashboard import presentation

register = template.Library()
register.filter("shown", presentation.shown)
