"""Engagement › Content by section: learners who viewed something in each section of the course
outline, and who tried its problems (the `section_activity` rows; docs/dashboard.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from edinsights.dashboard.pages import Page, Section, course_url
from edinsights.dashboard.presentation import PERCENT, TEXT, Chart, Column, Series, Table, percent
from edinsights.families.activity.models import SectionActivity
from edinsights.structure.outline import DELETED_NAME, course_outline


def section_rows(course: str) -> list[dict[str, Any]]:
    """One row per section of the outline, in its order (0 where nobody was there), then the
    "(Deleted)" row when activity fell on blocks the outline no longer places."""
    outline = course_outline(course)
    stored = {row.section_block_id: row for row in SectionActivity.objects.filter(course_id=course)}
    if not outline.imported or not stored:
        return []
    rows: list[dict[str, Any]] = []
    for order, block in enumerate(outline.sections(), start=1):
        found = stored.pop(block.block_id, None)
        rows.append(_row(order, block.display_name or block.block_name, found))
    # The rest: activity on blocks the outline does not place, and (until the next compute:
    # a structure import makes the metric stale) sections it no longer lists. Each row's
    # learners are distinct within it, so rows are shown apart rather than added up.
    for found in sorted(stored.values(), key=lambda row: row.section_block_id or ""):
        rows.append(_row(len(rows) + 1, str(DELETED_NAME), found))
    for row in rows:
        row["percent_attempted"] = percent(row["attempted_problem"], row["learners"])
    return rows


def _row(order: int, name: str, found: SectionActivity | None) -> dict[str, Any]:
    return {
        "order": order,
        "section": name,
        "learners": found.learners if found else 0,
        "viewed": found.viewed if found else 0,
        "attempted_problem": found.attempted_problem if found else 0,
    }


def sections(course: str) -> Page:
    rows = section_rows(course)
    columns = [
        Column("order", _("Order")),
        Column("section", _("Section name"), TEXT),
        Column("learners", _("Active learners")),
        Column("viewed", _("Viewed content")),
        Column("attempted_problem", _("Tried a problem")),
        Column("percent_attempted", _("Active learners who tried a problem"), PERCENT),
    ]
    table = Table(_("Learners active in each section"), columns, rows)
    chart = Chart(
        "bar",
        _("Learners who viewed content and who tried a problem, per section"),
        "section",
        [Series(_("Viewed content"), "viewed"), Series(_("Tried a problem"), "attempted_problem")],
        x_title=_("Section"),
        y_title=_("Learners"),
        rows=rows,
    )
    return Page(
        nav="engagement-content",
        title=_("Content engagement by section"),
        intro=_(
            "For each section of the course outline, how many learners viewed something in it "
            "(its pages, videos or problems) and how many tried one of its problems, over all "
            "the tracking logs."
        ),
        metrics=("section_activity", "course_structure"),
        empty=_(
            "No section results for this course yet. They appear once the course structure is "
            "imported (edinsights import structure) and the pipeline has run over tracking logs "
            "with learners' activity in the course."
        ),
        sections=[Section(table, chart)],
        parent=(_("Content engagement"), course_url("engagement_content", course)),
    )
