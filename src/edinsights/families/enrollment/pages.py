"""The enrollment module's pages: Enrollment › Activity, its part of the course home, and the
course's title (docs/dashboard.md)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Max, Min, Q, Sum
from django.utils.translation import gettext_lazy as _

from edinsights.dashboard.pages import HomePart, Page, Section, course_url
from edinsights.dashboard.presentation import DATE, TEXT, Chart, Column, Series, Table, Tile
from edinsights.families.enrollment.models import CourseEnrollmentModeDaily, CourseMetaSummaryEnrollment
from edinsights.families.enrollment.vocabulary import (
    ARCHIVED,
    CURRENT,
    MODE_LABELS,
    UPCOMING,
    VERIFIED,
    folded_availability,
    folded_mode,
)

STATUS = {CURRENT: _("In Progress"), ARCHIVED: _("Ended"), UPCOMING: _("Not Started Yet")}
"""The course home's status, in the original's words, for each availability (else "--")."""


def enrollment_activity(course: str) -> Page:
    rows = CourseEnrollmentModeDaily.objects.filter(course_id=course).order_by("date", "mode")
    days: dict[date, dict[str, Any]] = {}
    modes: list[str] = []
    for row in rows.values_list("date", "mode", "count"):
        day, mode, count = row
        mode = folded_mode(mode)
        if mode not in modes:
            modes.append(mode)
        record = days.setdefault(day, {"date": day, "total": 0})
        record[mode] = record.get(mode, 0) + count
        record["total"] += count
    modes.sort(key=lambda mode: list(MODE_LABELS).index(mode) if mode in MODE_LABELS else len(MODE_LABELS))
    table_rows = list(days.values())
    for record in table_rows:
        for mode in modes:
            record.setdefault(mode, 0)
    columns = [
        Column("date", _("Date"), DATE),
        Column("total", _("Enrolled learners")),
        *(Column(mode, MODE_LABELS.get(mode, mode)) for mode in modes),
    ]
    table = Table(_("Enrolled learners per day, by mode"), columns, table_rows)
    chart = Chart(
        "stacked-area",
        _("Enrolled learners per day, by mode"),
        "date",
        [Series(MODE_LABELS.get(mode, mode), mode) for mode in modes],
        x_title=_("Date"),
        y_title=_("Learners"),
        rows=table_rows,
    )
    tiles = []
    if table_rows:
        last = table_rows[-1]
        week_before = _on_or_before(table_rows, last["date"] - timedelta(days=7))
        tiles = [
            Tile(_("Total enrollment"), last["total"]),
            Tile(_("Change in last 7 days"), last["total"] - (week_before["total"] if week_before else 0)),
            Tile(_("Verified enrollment"), last.get(VERIFIED, 0)),
        ]
    return Page(
        nav="enrollment-activity",
        title=_("Enrollment activity"),
        intro=_("How many learners are enrolled each day, in each enrollment mode."),
        metrics=("enrollment_mode_daily",),
        empty=_(
            "No enrollment results for this course yet. They appear once the pipeline has run "
            "over tracking logs holding the course's enrollment events."
        ),
        sections=[Section(table, chart)],
        tiles=tiles,
    )


def _on_or_before(rows: list[dict[str, Any]], day: date) -> dict[str, Any] | None:
    earlier = [row for row in rows if row["date"] <= day]
    return earlier[-1] if earlier else None


def course_home(course: str) -> HomePart:
    """The course home's enrollment tiles and its Basic Course Information: the catalog's name,
    dates and the status its availability gives (AnalyticsModule.course_home)."""
    summary = CourseMetaSummaryEnrollment.objects.filter(course_id=course).aggregate(
        enrolled=Sum("count"),
        change=Sum("count_change_7_days"),
        verified=Sum("count", filter=Q(enrollment_mode=VERIFIED)),
        title=Max("catalog_course_title"),
        start=Min("start_time"),
        end=Max("end_time"),
        availability=Max("availability"),
    )
    link = course_url("enrollment_activity", course)
    facts = []
    # Known once the structure import gave the course a catalog entry (the original needs the
    # course API for it too).
    if summary["title"] is not None or summary["start"] is not None:
        info = Table(
            _("The course's name, dates and status"),
            [
                Column("name", _("Course name"), TEXT),
                Column("course_id", _("Course id"), TEXT),
                Column("start", _("Start date"), DATE),
                Column("end", _("End date"), DATE),
                Column("status", _("Status"), TEXT),
            ],
            [
                {
                    "name": summary["title"],
                    "course_id": course,
                    "start": summary["start"],
                    "end": summary["end"],
                    "status": STATUS.get(folded_availability(summary["availability"]) or "", "--"),
                }
            ],
        )
        facts.append(Section(info, heading=str(_("Basic Course Information"))))
    return HomePart(
        facts=facts,
        tiles=[
            Tile(_("Enrolled learners"), summary["enrolled"], link=link),
            Tile(_("Enrollment change, last 7 days"), summary["change"], link=link),
            Tile(
                _("Verified learners"),
                summary["verified"] or (0 if summary["enrolled"] is not None else None),
                link=link,
            ),
        ],
        metrics=("course_summary",),
    )


def course_title(course: str) -> str | None:
    """The course's catalog title, None until catalog import gives one (AnalyticsModule.course_title)."""
    return CourseMetaSummaryEnrollment.objects.filter(course_id=course).aggregate(
        title=Max("catalog_course_title")
    )["title"]
