"""The `shown` filter: a tile's value formatted by its kind (tables format theirs in Python); the
`compute_notice` tag: the warning when the last compute did not finish."""

from __future__ import annotations

from django import template

from edinsights.dashboard import presentation
from edinsights.results.freshness import unfinished_compute

register = template.Library()
register.filter("shown", presentation.shown)


@register.inclusion_tag("dashboard/compute_notice.html")
def compute_notice() -> dict[str, object]:
    """Every page with results says so when they may come from two compute runs."""
    return {"started": unfinished_compute()}
