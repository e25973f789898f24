"""The engagement module's page: Engagement › Learners (docs/dashboard.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext_lazy as _

from edinsights.dashboard.pages import Page, Section
from edinsights.dashboard.presentation import TEXT, Chart, Column, Series, Table, Text
from edinsights.families.engagement.models import ModuleEngagementMetricRanges
from edinsights.families.engagement.vocabulary import ENGAGEMENT_METRICS, HIGH, LOW, NORMAL, RANGE_TYPES


def learners(course: str) -> Page:
    ranges: dict[str, dict[str, Any]] = {}
    window = None
    for row in ModuleEngagementMetricRanges.objects.filter(course_id=course):
        window = (row.start_date, row.end_date)
        record = ranges.setdefault(
            row.metric,
            {
                "key": row.metric,
                "metric": str(ENGAGEMENT_METRICS.get(row.metric, row.metric)),
                **dict.fromkeys(RANGE_TYPES),
            },
        )
        record[row.range_type] = range_text(row.low_value, row.high_value)
        record[f"{row.range_type}_low"] = row.low_value
        record[f"{row.range_type}_high"] = row.high_value
    order = list(ENGAGEMENT_METRICS)
    rows = sorted(
        ranges.values(),
        key=lambda record: order.index(record["key"]) if record["key"] in order else len(order),
    )
    columns = [
        Column("metric", _("Measure"), TEXT),
        Column(LOW, _("Low (bottom 15%)"), TEXT),
        Column(NORMAL, _("Normal"), TEXT),
        Column(HIGH, _("High (top 15%)"), TEXT),
    ]
    download_columns = [
        *columns,
        *(Column(f"{kind}_{end}", f"{kind} {end}") for kind in RANGE_TYPES for end in ("low", "high")),
    ]
    table = Table(_("Engagement ranges per measure, last 7 days"), columns, rows)
    chart = Chart(
        "bar",
        _("Where the normal and high ranges start, per measure"),
        "metric",
        [
            Series(_("Normal from (15th percentile)"), f"{NORMAL}_low"),
            Series(_("High from (85th percentile)"), f"{HIGH}_low"),
        ],
        x_title=_("Measure"),
        y_title=_("Per learner"),
        rows=rows,
    )
    intro: Text = _(
        "How engaged the course's learners were over the last 7 days: the range of each "
        "measure for the least engaged 15%, the middle 70% and the most engaged 15%. "
        "Attempts per problem solved is unbounded for a learner who tried problems but solved none."
    )
    if window:
        intro = f"{intro} ({window[0]:%Y-%m-%d} – {window[1] - timedelta(days=1):%Y-%m-%d})"
    return Page(
        nav="engagement-learners",
        title=_("Learner engagement"),
        intro=intro,
        metrics=("module_engagement_metric_ranges",),
        empty=_(
            "No engagement results for this course yet. They appear once learners have been "
            "active in the last 7 days of the computed range."
        ),
        sections=[Section(table, chart)],
        download=Table(table.caption, download_columns, rows),
    )


def range_text(low: float | None, high: float | None) -> str:
    """A half-open range [low, high) in words; None is unbounded (+inf), as the table stores it."""
    if low is None:  # [inf, inf): only learners whose value is unbounded
        return str(_("unbounded"))
    if high is None:
        return _("%(low)s and more") % {"low": _bound(low)}
    if low == 0:
        return _("below %(high)s") % {"high": _bound(high)}
    return f"{_bound(low)} – {_bound(high)}"


def _bound(value: float) -> str:
    """A range bound to 2 decimals, without trailing zeros: 5, 1.6, 2.05, 0.55 (0.5499…)."""
    rounded = round(value, 2)
    return intcomma(int(rounded) if rounded.is_integer() else rounded)
