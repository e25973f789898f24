"""The activity module's pages: Engagement › Content and its part of the course home (the weekly
chart) (docs/dashboard.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from edinsights.dashboard.pages import HomePart, Page, Section, course_url
from edinsights.dashboard.presentation import DATE, Chart, Column, Series, Table, Tile
from edinsights.families.activity.models import CourseActivity, SectionActivity
from edinsights.families.activity.vocabulary import (
    ACTIVE,
    ACTIVITY_SERIES,
    ATTEMPTED_PROBLEM,
    PLAYED_VIDEO,
)


def weekly_activity(course: str) -> list[dict[str, Any]]:
    """One row per week: the week's start and a count per activity type (0 when none)."""
    keys = {label: key for label, key, _title in ACTIVITY_SERIES}
    weeks: dict[Any, dict[str, Any]] = {}
    rows = CourseActivity.objects.filter(course_id=course).order_by("interval_start")
    for start, label, count in rows.values_list("interval_start", "label", "count"):
        week = weeks.setdefault(start, {"week": start.date(), **dict.fromkeys(keys.values(), 0)})
        if label in keys:
            week[keys[label]] = count
    return list(weeks.values())


def engagement_content(course: str) -> Page:
    weeks = weekly_activity(course)
    columns = [Column("week", _("Week starting"), DATE)] + [
        Column(key, title) for _label, key, title in ACTIVITY_SERIES
    ]
    table = Table(_("Learners active each week, by activity"), columns, weeks)
    chart = Chart(
        "line",
        _("Learners active each week, by activity"),
        "week",
        [Series(title, key) for _label, key, title in ACTIVITY_SERIES],
        x_title=_("Week starting"),
        y_title=_("Learners"),
        rows=weeks,
    )
    tiles = [Tile(title, weeks[-1][key]) for _label, key, title in ACTIVITY_SERIES] if weeks else []
    # The way to the sections page (sections.py), once the course's outline gave it rows.
    visited = SectionActivity.objects.filter(
        course_id=course, section_block_id__isnull=False, learners__gt=0
    ).count()
    if weeks and visited:
        link = course_url("engagement_sections", course)
        tiles.append(Tile(_("Sections learners were active in"), visited, link=link))
    return Page(
        nav="engagement-content",
        title=_("Content engagement"),
        intro=_("How many learners were active each week, and what they did: problems, videos, forum."),
        metrics=("course_activity", "section_activity"),
        empty=_(
            "No activity results for this course yet. They appear once the pipeline has run over "
            "tracking logs with learners' activity in the course."
        ),
        sections=[Section(table, chart)],
        tiles=tiles,
    )


def course_home(course: str) -> HomePart:
    """Last week's activity tiles and the weekly chart of the course home (AnalyticsModule.course_home)."""
    weeks = weekly_activity(course)
    last_week = weeks[-1] if weeks else {}
    link = course_url("engagement_content", course)
    columns = [
        Column("week", _("Week starting"), DATE),
        Column(ACTIVE.key, _("Active learners")),
        Column(PLAYED_VIDEO.key, _("Played a video")),
        Column(ATTEMPTED_PROBLEM.key, _("Tried a problem")),
    ]
    table = Table(_("Learners active each week"), columns, weeks)
    chart = Chart(
        "line",
        _("Learners active each week"),
        "week",
        [Series(_("Active learners"), ACTIVE.key)],
        x_title=_("Week starting"),
        y_title=_("Learners"),
        rows=weeks,
    )
    return HomePart(
        tiles=[
            Tile(_("Active learners last week"), last_week.get(ACTIVE.key), link=link),
            Tile(_("Played a video last week"), last_week.get(PLAYED_VIDEO.key), link=link),
        ],
        sections=[Section(table, chart)],
        metrics=("course_activity",),
        empty=_("No activity results for this course yet."),
    )
