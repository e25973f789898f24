"""The course pages: each turns one course's result rows into tiles, charts and tables.

Every builder takes a course id the caller has already checked against the permission layer
(`edinsights.api.access`) and reads only that course's rows. Until course structure is
imported, videos and problems are listed in key order under one "All content" heading;
`Section.group` is where the section/subsection hierarchy will slot in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from edinsights import modules as analytics
from edinsights.api.access import only_readable
from edinsights.dashboard.presentation import (
    PERCENT,
    TEXT,
    Chart,
    Column,
    Series,
    Table,
    Text,
    Tile,
    percent,
)
from edinsights.families.engagement.models import ModuleEngagementMetricRanges
from edinsights.families.problems.models import AnswerDistribution, ProblemSummary, TagsDistribution

ENGAGEMENT_METRICS = {
    "problem_attempts": _("Problem attempts"),
    "problems_attempted": _("Problems tried"),
    "problems_completed": _("Problems solved"),
    "problem_attempts_per_completed": _("Attempts per problem solved"),
    "videos_viewed": _("Videos viewed"),
    "discussion_contributions": _("Forum contributions"),
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

    def __post_init__(self) -> None:
        for number, section in enumerate(self.sections):
            section.chart_id = f"chart-{number}"

    @property
    def has_data(self) -> bool:
        return any(section.table.rows for section in self.sections)

    @property
    def csv_table(self) -> Table:
        return self.download or self.sections[0].table


@dataclass
class HomePart:
    """A module's part of the course home (`AnalyticsModule.course_home`): its tiles, sections and
    the metrics that date them; the home shows every module's parts in module order."""

    tiles: list[Tile] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    metrics: tuple[str, ...] = ()
    empty: Text = ""
    """What the home says when its sections have no rows (the first module's that says anything)."""


def course_url(name: str, course: str, *args: str) -> str:
    return reverse(f"dashboard:{name}", args=[course, *args])


def block_name(key: str) -> str:
    """A readable name for a usage key until structure import brings display names: its block id."""
    try:
        return UsageKey.from_string(key).block_id
    except InvalidKeyError:
        return key


# ---- Performance › Problems ------------------------------------------------------------------


def problems(course: str) -> Page:
    rows: list[dict[str, Any]] = [
        {
            "problem": row.problem_display_name or block_name(row.module_id),
            "module_id": row.module_id,
            "total_submissions": row.total_submissions,
            "correct_submissions": row.correct_submissions,
            "incorrect_submissions": row.total_submissions - row.correct_submissions,
            "percent_correct": percent(row.correct_submissions, row.total_submissions),
            "users": row.users,
            "users_correct": row.users_correct,
        }
        for row in ProblemSummary.objects.filter(course_id=course).order_by("module_id")
    ]
    columns = [
        Column(
            "problem", _("Problem"), TEXT, link=lambda row: course_url("problem", course, row["module_id"])
        ),
        Column("total_submissions", _("Attempts")),
        Column("correct_submissions", _("Correct attempts")),
        Column("percent_correct", _("Correct"), PERCENT),
        Column("users", _("Learners")),
        Column("users_correct", _("Learners correct")),
    ]
    download_columns = [Column("module_id", _("Problem id"), TEXT), *columns]
    table = Table(_("Problems: attempts and correct answers"), columns, rows)
    chart = Chart(
        "stacked-bar",
        _("Correct and incorrect attempts per problem"),
        "problem",
        [Series(_("Correct"), "correct_submissions"), Series(_("Incorrect"), "incorrect_submissions")],
        x_title=_("Problem"),
        y_title=_("Attempts"),
        rows=rows,
    )
    attempts = sum(row["total_submissions"] for row in rows)
    correct = sum(row["correct_submissions"] for row in rows)
    tiles = (
        [
            Tile(_("Problems attempted"), len(rows)),
            Tile(_("Attempts"), attempts),
            Tile(_("Correct attempts"), percent(correct, attempts), PERCENT),
        ]
        if rows
        else []
    )
    return Page(
        nav="performance-problems",
        title=_("Problems"),
        intro=_(
            "Every problem learners submitted: attempts and how many were correct. Open a problem "
            "to see which answers learners gave."
        ),
        metrics=("problem_summary",),
        empty=_(
            "No problem results for this course yet. They appear once learners have submitted "
            "answers and the pipeline has run."
        ),
        sections=[Section(table, chart, group=str(_("All content")))],
        tiles=tiles,
        download=Table(table.caption, download_columns, rows),
    )


# The download keeps every column of the result rows, one line per row (as the original's CSV
# of the API's rows); the page shows each answer once.
ANSWER_DOWNLOAD_COLUMNS = [
    Column(model_field.name, model_field.name, TEXT)
    for model_field in AnswerDistribution._meta.fields
    if model_field.name != "id"
]
GRADINGS = {
    frozenset({True}): _("Yes"),
    frozenset({False}): _("No"),
    frozenset({True, False}): _("Yes and no"),
}


def answer_distribution(course: str, module_id: str) -> Page | None:
    """A problem's answers per part, each once (first, last and all attempts); None without results."""
    answers = list(
        AnswerDistribution.objects.filter(course_id=course, module_id=module_id).order_by(
            "part_id", "variant", "-correct", "value_id", "answer_value"
        )
    )
    if not answers:
        return None
    parts: dict[str, dict[str, list[AnswerDistribution]]] = defaultdict(lambda: defaultdict(list))
    for row in answers:
        # Rows that read the same (a typed `Blue` and, after the problem became a choice
        # problem, the choice `Blue`) are one answer to the reader.
        parts[row.part_id][_answer_label(row)].append(row)
    columns = [
        Column("answer", _("Answer"), TEXT),
        Column("correct", _("Correct"), TEXT),
        Column("first_response_count", _("First attempts")),
        Column("last_response_count", _("Last attempts")),
        Column("count", _("All attempts")),
    ]
    sections = []
    for number, labelled in enumerate(parts.values(), start=1):
        rows = [_answer_row(label, same) for label, same in labelled.items()]
        question = rows[0]["question"]
        heading = _("Part %(number)s") % {"number": number} + (f": {question}" if question else "")
        chart = Chart(
            "bar",
            _("Learners' first and last answers, part %(number)s") % {"number": number},
            "chart_label",
            [
                Series(_("First attempts"), "first_response_count"),
                Series(_("Last attempts"), "last_response_count"),
            ],
            x_title=_("Answer"),
            y_title=_("Learners"),
            rows=rows,
        )
        sections.append(Section(Table(heading, columns, rows), chart, heading=heading))
    download_rows = [
        {column.key: getattr(row, column.key) for column in ANSWER_DOWNLOAD_COLUMNS} for row in answers
    ]
    return Page(
        nav="performance-problems",
        title=answers[0].problem_display_name or block_name(module_id),
        intro=_(
            "Learners' answers to each part of the problem: their first attempt, their last "
            "attempt and all attempts. Correct answers are marked in the table."
        ),
        metrics=("answer_distribution",),
        empty=_("Nobody has answered this problem."),
        sections=sections,
        download=Table(_("Answer distribution"), ANSWER_DOWNLOAD_COLUMNS, download_rows),
        parent=(_("Problems"), course_url("problems", course)),
    )


def _answer_label(row: AnswerDistribution) -> str:
    """The answer as the reader knows it: its text, else its choice id, with its variant."""
    answer = row.answer_value if row.answer_value not in (None, "") else row.value_id
    label = str(answer if answer not in (None, "") else _("(blank)"))
    if row.variant:
        label = _("%(answer)s (variant %(variant)s)") % {"answer": label, "variant": row.variant}
    return label


def _answer_row(label: str, rows: list[AnswerDistribution]) -> dict[str, Any]:
    """One answer's table row over the result rows that read as `label`: their counts added up;
    correct "Yes", "No", "Yes and no" (graded both ways) or "–" (unknown)."""
    gradings = frozenset(row.correct for row in rows if row.correct is not None)
    return {
        "answer": label,
        "question": rows[0].question_text or "",
        "correct": GRADINGS.get(gradings),
        "first_response_count": sum(row.first_response_count for row in rows),
        "last_response_count": sum(row.last_response_count for row in rows),
        "count": sum(row.count for row in rows),
        # The chart's axis label marks correct answers in words (colour alone would not do).
        "chart_label": _("%(answer)s (correct)") % {"answer": label} if gradings == {True} else label,
    }


def tags(course: str) -> Page:
    rows = [
        {
            "tag": f"{row['tag_name']}: {row['tag_value']}",
            "tag_name": row["tag_name"],
            "tag_value": row["tag_value"],
            "problems": row["problems"],
            "total_submissions": row["total"],
            "correct_submissions": row["correct"],
            "percent_correct": percent(row["correct"], row["total"]),
        }
        for row in TagsDistribution.objects.filter(course_id=course)
        .values("tag_name", "tag_value")
        .annotate(
            problems=Count("module_id", distinct=True),
            total=Sum("total_submissions"),
            correct=Sum("correct_submissions"),
        )
        .order_by("tag_name", "tag_value")
    ]
    columns = [
        Column("tag_name", _("Tag"), TEXT),
        Column("tag_value", _("Value"), TEXT),
        Column("problems", _("Problems")),
        Column("total_submissions", _("Attempts")),
        Column("correct_submissions", _("Correct attempts")),
        Column("percent_correct", _("Correct"), PERCENT),
    ]
    table = Table(_("Problem tags: attempts and correct answers"), columns, rows)
    chart = Chart(
        "bar",
        _("Correct attempts per tag, in percent"),
        "tag",
        [Series(_("Correct attempts (%)"), "percent_correct")],
        x_title=_("Tag"),
        y_title=_("Percent correct"),
        rows=rows,
    )
    return Page(
        nav="performance-tags",
        title=_("Problem tags"),
        intro=_(
            "Problems grouped by the tags course authors gave them (for example learning "
            "outcomes or difficulty), with how often learners answered them correctly."
        ),
        metrics=("tags_distribution",),
        empty=_("No tagged problems have been answered in this course."),
        sections=[Section(table, chart)],
    )


# ---- Engagement › Learners -------------------------------------------------------------------


RANGE_TYPES = ("low", "normal", "high")


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
        Column("low", _("Low (bottom 15%)"), TEXT),
        Column("normal", _("Normal"), TEXT),
        Column("high", _("High (top 15%)"), TEXT),
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
            Series(_("Normal from (15th percentile)"), "normal_low"),
            Series(_("High from (85th percentile)"), "high_low"),
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


def problem_exists(module_id: str, user: Any) -> bool:
    """Whether a problem of this exact id has results in a course `user` reads (an id from events
    need not be a usage key; other courses' problems must not tell a 400 from a 404)."""
    return any(
        only_readable(user, model.objects.filter(module_id=module_id)).exists()
        for model in (ProblemSummary, AnswerDistribution)
    )
