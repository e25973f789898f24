"""What a dashboard page shows: tiles, one chart, and the table that is the chart's accessible form.

Pages build these plain objects from result rows; the templates render them, `charts.js`
draws the chart from `Chart.spec()`, and the same `Table` becomes the page's CSV download, so
the chart, the table and the CSV never disagree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from edinsights.csv_safety import safe_cell, safe_row

# Text: a label or title, often gettext_lazy() text, which templates and JSON render as str
# (module pages annotate with it too). django-stubs names the lazy type only for the checker.
if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as Text
else:
    from django.utils.functional import Promise

    Text = str | Promise

NUMBER, PERCENT, TEXT, DATE, DURATION = "number", "percent", "text", "date", "duration"
MISSING = "–"


def shown(value: Any, kind: str = NUMBER) -> str:
    """`value` as pages show it: 1,234 · 45.6 % · 3:05 · 2024-03-04; "–" when unknown."""
    if value is None or value == "":
        return MISSING
    if kind == PERCENT:
        # Rounded first: number_format cuts the digits it does not show (24.59 would read 24.5).
        return f"{number_format(round(float(value), 1), 1)} %"
    if kind == DURATION:
        seconds = int(value)
        return f"{seconds // 60}:{seconds % 60:02d}"
    if kind == DATE and isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if kind == NUMBER and isinstance(value, int | float):
        return intcomma(value)
    return str(value)


@dataclass(frozen=True)
class Column:
    key: str
    label: Text
    kind: str = NUMBER
    link: Callable[[dict[str, Any]], str] | None = None
    """Makes the cell a link to the row's own page ("" for a row without one)."""
    detail: Callable[[dict[str, Any]], str | None] | None = None
    """A second line under the cell's text (a course's id under its name); None: none."""

    @property
    def numeric(self) -> bool:
        return self.kind in (NUMBER, PERCENT, DURATION)


@dataclass
class Table:
    caption: Text
    columns: Sequence[Column]
    rows: list[dict[str, Any]]

    def body_html(self) -> SafeString:
        """The table body's rows, formatted and escaped.

        Built here rather than in a template loop: a year of daily rows is thousands of cells,
        and Django's template engine spent ~40 ms on them where this takes a few.
        """
        lines = []
        for row in self.rows:
            cells = []
            for index, column in enumerate(self.columns):
                text: str = escape(shown(row.get(column.key), column.kind))
                url = column.link(row) if column.link else ""
                if url:
                    text = f'<a href="{escape(url)}">{text}</a>'
                if column.detail and (detail := column.detail(row)):
                    text += f'<br><span class="meta">{escape(detail)}</span>'
                if index == 0:
                    cells.append(f'<th scope="row">{text}</th>')
                else:
                    cells.append(f'<td class="number">{text}</td>' if column.numeric else f"<td>{text}</td>")
            lines.append(f"<tr>{''.join(cells)}</tr>")
        return mark_safe("\n".join(lines))  # every value and link above is escaped

    def csv_response(self, filename: str) -> HttpResponse:
        """The table as a CSV download: raw values (no thousands separators), one header row.

        Text cells that a spreadsheet would run as a formula get a leading `'` (csv_safety)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(safe_row(column.key for column in self.columns))
        for row in self.rows:
            writer.writerow([safe_cell(_csv_value(row.get(column.key))) for column in self.columns])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.csv"'
        return response


def _csv_value(value: Any) -> Any:
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 4)
    return value


@dataclass(frozen=True)
class Series:
    label: Text
    key: str
    """The table column it plots."""


@dataclass
class Chart:
    """A Chart.js chart over a table: x labels from one column, one dataset per series."""

    kind: str
    """`line`, `bar` or `stacked-bar`."""
    title: Text
    x: str
    """The table column on the x axis."""
    series: Sequence[Series]
    x_title: Text = ""
    y_title: Text = ""
    rows: list[dict[str, Any]] = field(default_factory=list)

    def spec(self) -> dict[str, Any]:
        """The JSON `charts.js` draws (labels as text; values as numbers or null)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "x_title": self.x_title,
            "y_title": self.y_title,
            "labels": [_label(row.get(self.x)) for row in self.rows],
            "datasets": [
                {"label": series.label, "data": [_point(row.get(series.key)) for row in self.rows]}
                for series in self.series
            ],
        }


def _label(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return "" if value is None else str(value)


def _point(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)


@dataclass(frozen=True)
class Proportion:
    """One bar of `Proportions`: its label, its share in percent and the page it opens."""

    label: Text
    share: float
    url: str

    @property
    def width(self) -> str:
        """The bar's width in percent of the full width, at least 5 (so that a small share stays
        visible and clickable), as SVG reads it (a dot, whatever the page's language)."""
        return f"{max(5.0, min(100.0, self.share)):.2f}"


@dataclass
class Proportions:
    """Bars proportional to shares of a whole (assignment types' weights), each a link; drawn as
    SVG in the page (no script), beside the section's table holding the same numbers."""

    title: Text
    bars: list[Proportion]


@dataclass(frozen=True)
class Tile:
    label: Text
    value: Any
    kind: str = NUMBER
    link: str | None = None


def percent(part: float | None, whole: float | None) -> float | None:
    """part / whole in percent; None when whole is 0 or unknown (shown as "–", not 0 %)."""
    if not whole or part is None:
        return None
    return 100.0 * part / whole
