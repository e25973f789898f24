"""The course pages: each turns one course's result rows into tiles, charts and tables.

Every builder takes a course id the caller has already checked against the permission layer
(`edinsights.api.access`) and reads only that course's rows. Until course structure is
imported, videos and problems are listed in key order under one "All content" heading;
`Section.group` is where the section/subsection hierarchy will slot in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from edinsights import modules as analytics
from edinsights.dashboard.presentation import (
    DATE,
    PERCENT,
    Chart,
    Column,
    Series,
    Table,
    Tile,
    percent,
)
from edinsights.families.activity.models import CourseActivity
from edinsights.families.enrollment.models import CourseEnrollmentModeDaily, CourseMetaSummaryEnrollment
from edinsights.families.problems.models import ProblemSummary
from edinsights.families.video.models import Video

ACTIVITY_SERIES = (
    ("ACTIVE", "active", _("Active learners")),
    ("ATTEMPTED_PROBLEM", "attempted_problem", _("Tried a problem")),
    ("PLAYED_VIDEO", "played_video", _("Played a video")),
    ("POSTED_FORUM", "posted_forum", _("Posted in the forum")),
)
MODE_LABELS = {
    "audit": _("Audit"),
    "honor": _("Honor"),
    "verified": _("Verified"),
    "professional": _("Professional"),
    "credit": _("Credit"),
    "masters": _("Master's"),
}


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


@dataclass
class Page:
    nav: str
    """The navigation entry this page belongs to."""
    title: str
    metrics: tuple[str, ...]
    """The metrics whose publication dates the page ("data last updated")."""
    empty: str
    """What to tell the user when there is nothing to show, and how to get it."""
    sections: list[Section] = field(default_factory=list)
    tiles: list[Tile] = field(default_factory=list)
    intro: str = ""
    download: Table | None = None
    """The CSV download; the first section's table when not set."""
    parent: tuple[str, str] | None = None
    """(title, url) of the page above this one (a video's page: the videos list)."""

    def __post_init__(self) -> None:
        for number, section in enumerate(self.sections):
            section.chart_id = f"chart-{number}"

    @property
    def has_data(self) -> bool:
        return any(section.table.rows for section in self.sections)

    @property
    def csv_table(self) -> Table:
        return self.download or self.sections[0].table


def folded_mode(mode: str) -> str:
    """The mode as pages show it: no-id-professional is professional (as in the Data API)."""
    return "professional" if mode == "no-id-professional" else mode


def course_url(name: str, course: str, *args: str) -> str:
    return reverse(f"dashboard:{name}", args=[course, *args])


def block_name(key: str) -> str:
    """A readable name for a usage key until structure import brings display names: its block id."""
    try:
        return UsageKey.from_string(key).block_id
    except InvalidKeyError:
        return key


# ---- Enrollment › Activity -------------------------------------------------------------------


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
            Tile(_("Verified enrollment"), last.get("verified", 0)),
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


# ---- Engagement › Content --------------------------------------------------------------------


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
    return Page(
        nav="engagement-content",
        title=_("Content engagement"),
        intro=_("How many learners were active each week, and what they did: problems, videos, forum."),
        metrics=("course_activity",),
        empty=_(
            "No activity results for this course yet. They appear once the pipeline has run over "
            "tracking logs with learners' activity in the course."
        ),
        sections=[Section(table, chart)],
        tiles=tiles,
    )


# ---- Course home -----------------------------------------------------------------------------


def course_home(course: str) -> Page:
    summary = CourseMetaSummaryEnrollment.objects.filter(course_id=course).aggregate(
        enrolled=Sum("count"),
        change=Sum("count_change_7_days"),
        verified=Sum("count", filter=Q(enrollment_mode="verified")),
    )
    weeks = weekly_activity(course)
    last_week = weeks[-1] if weeks else {}
    video_totals = Video.objects.filter(course_id=course).aggregate(
        videos=Count("id"), started=Sum("users_at_start"), ended=Sum("users_at_end")
    )
    problem_totals = ProblemSummary.objects.filter(course_id=course).aggregate(
        problems=Count("id"), attempts=Sum("total_submissions"), correct=Sum("correct_submissions")
    )
    enrollment_url = course_url("enrollment_activity", course)
    content_url = course_url("engagement_content", course)
    videos_url = course_url("videos", course)
    problems_url = course_url("problems", course)
    tiles = [
        Tile(_("Enrolled learners"), summary["enrolled"], link=enrollment_url),
        Tile(_("Enrollment change, last 7 days"), summary["change"], link=enrollment_url),
        Tile(
            _("Verified learners"),
            summary["verified"] or (0 if summary["enrolled"] is not None else None),
            link=enrollment_url,
        ),
        Tile(_("Active learners last week"), last_week.get("active"), link=content_url),
        Tile(_("Played a video last week"), last_week.get("played_video"), link=content_url),
        Tile(_("Videos watched"), video_totals["videos"], link=videos_url),
        Tile(
            _("Video completion"),
            percent(video_totals["ended"], video_totals["started"]),
            PERCENT,
            link=videos_url,
        ),
        Tile(_("Problems attempted"), problem_totals["problems"], link=problems_url),
        Tile(
            _("Correct attempts"),
            percent(problem_totals["correct"], problem_totals["attempts"]),
            PERCENT,
            link=problems_url,
        ),
    ]
    columns = [
        Column("week", _("Week starting"), DATE),
        Column("active", _("Active learners")),
        Column("played_video", _("Played a video")),
        Column("attempted_problem", _("Tried a problem")),
    ]
    table = Table(_("Learners active each week"), columns, weeks)
    chart = Chart(
        "line",
        _("Learners active each week"),
        "week",
        [Series(_("Active learners"), "active")],
        x_title=_("Week starting"),
        y_title=_("Learners"),
        rows=weeks,
    )
    return Page(
        nav="home",
        title=_("Course home"),
        intro=_("The course's key numbers; each links to its page."),
        metrics=("course_summary", "course_activity", "video", "problem_summary"),
        empty=_("No activity results for this course yet."),
        sections=[Section(table, chart)],
        tiles=tiles,
    )


def course_exists(course: str) -> bool:
    """Whether any module's course result table knows the course (pages of unknown courses are
    404s); `AnalyticsModule.course_models` says which tables count."""
    return any(
        model.objects.filter(course_id=course).exists()
        for module in analytics.modules()
        for model in module.course_result_models()
    )


def course_title(course: str) -> str:
    title = CourseMetaSummaryEnrollment.objects.filter(course_id=course).aggregate(
        title=Max("catalog_course_title")
    )["title"]
    return title or course
