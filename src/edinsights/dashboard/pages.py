"""The course pages: each turns one course's result rows into tiles, charts and tables.

Every builder takes a course id the caller has already checked against the permission layer
(`edinsights.api.access`) and reads only that course's rows. For a course without an imported
structure, videos and problems are listed in key order under one "All content" heading; with
it, the modules' drill-down pages place them in the outline (`edinsights.structure.outline`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from edinsights import modules as analytics
from edinsights.dashboard.presentation import (
    Chart,
    Proportions,
    Table,
    Text,
    Tile,
)


@dataclass
class Section:
    """A chart with its table (its accessible form), under an optional heading."""

    table: Table
    chart: Chart | None = None
    heading: str = ""
    group: str = ""
    """The course-structure group (section › subsection) once structure is imported."""
    chart_id: str = ""
    """The id of the chart's JSON data in the page (set by `Page`)."""
    proportions: Proportions | None = None
    """Bars of shares of a whole, shown before the table (Graded content's assignment types)."""


@dataclass
class Page:
    nav: str
    """The navigation entry this page belongs to."""
    title: Text
    metrics: tuple[str, ...]
    """The metrics whose publication dates the page ("data last updated")."""
    empty: Text
    """What to tell the user when there is nothing to show, and how to get it."""
    sections: list[Section] = field(default_factory=list)
    tiles: list[Tile] = field(default_factory=list)
    intro: Text = ""
    download: Table | None = None
    """The CSV download; the first section's table when not set."""
    parent: tuple[Text, str] | None = None
    """(title, url) of the page above this one (a video's page: the videos list)."""
    facts: list[Section] = field(default_factory=list)
    """Tables of facts about the course (the home's Basic Course Information), shown above the
    results whether or not there are any; neither the CSV nor `has_data`."""
    trail: tuple[tuple[Text, str], ...] = ()
    """The breadcrumbs between the course home and this page, (title, url) from the top down
    (a drill-down level: Videos › section › subsection); `(parent,)` when not set."""
    pager: tuple[tuple[Text, str, str], ...] = ()
    """(label, url, rel) links to the pages beside this one, rel `prev` or `next` (a video's
    previous and next video in the course outline)."""

    def __post_init__(self) -> None:
        if self.parent and not self.trail:
            self.trail = (self.parent,)
        for number, section in enumerate(self.sections):
            section.chart_id = f"chart-{number}"

    @property
    def has_data(self) -> bool:
        return any(section.table.rows for section in self.sections)

    @property
    def csv_table(self) -> Table | None:
        """The table `?format=csv` downloads: `download`, else the first section's; None without either."""
        if self.download is not None:
            return self.download
        return self.sections[0].table if self.sections else None


@dataclass
class HomePart:
    """A module's part of the course home (`AnalyticsModule.course_home`): its tiles, sections and
    the metrics that date them; the home shows every module's parts in module order."""

    tiles: list[Tile] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    metrics: tuple[str, ...] = ()
    empty: Text = ""
    """What the home says when its sections have no rows (the first module's that says anything)."""
    facts: list[Section] = field(default_factory=list)
    """Facts about the course (Page.facts), e.g. its catalog entry."""


def course_url(name: str, course: str, *args: str) -> str:
    return reverse(f"dashboard:{name}", args=[course, *args])


def block_name(key: str) -> str:
    """A readable name for a usage key until structure import brings display names: its block id."""
    try:
        return UsageKey.from_string(key).block_id
    except InvalidKeyError:
        return key


# ---- Course home -----------------------------------------------------------------------------


def course_home(course: str) -> Page:
    """Every module's part of the course home (`AnalyticsModule.course_home`), in module order."""
    parts = [
        analytics.hook(module.course_home)(course) for module in analytics.modules() if module.course_home
    ]
    return Page(
        nav="home",
        title=_("Course home"),
        intro=_("The course's key numbers; each links to its page."),
        metrics=tuple(name for part in parts for name in part.metrics),
        empty=next((part.empty for part in parts if part.empty), _("No results for this course yet.")),
        sections=[section for part in parts for section in part.sections],
        tiles=[tile for part in parts for tile in part.tiles],
        facts=[section for part in parts for section in part.facts],
    )


def course_exists(course: str) -> bool:
    """Whether any module's course result table knows the course (pages of unknown courses are
    404s); `AnalyticsModule.course_models` says which tables count."""
    return any(
        model._default_manager.filter(course_id=course).exists()
        for module in analytics.modules()
        for model in module.course_result_models()
    )


def course_title(course: str) -> str:
    """The first title a module's `course_title` hook gives (in module order), else the course id."""
    for module in analytics.modules():
        if module.course_title:
            title = analytics.hook(module.course_title)(course)
            if title:
                return str(title)
    return course
