"""The problems module's pages: Performance › Problems, a problem's answers, and Problem tags
(docs/dashboard.md)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from edinsights.dashboard.pages import Page, Section, block_name, course_url
from edinsights.dashboard.presentation import PERCENT, TEXT, Chart, Column, Series, Table, Tile, percent
from edinsights.families.problems.graded import problem_place
from edinsights.families.problems.models import AnswerDistribution, ProblemSummary, TagsDistribution
from edinsights.families.problems.vocabulary import GRADINGS


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
    title = answers[0].problem_display_name or block_name(module_id)
    # With an imported outline: its name there, under the drill-down it is in (graded.py).
    place = problem_place(course, module_id, title)
    return Page(
        nav=place.nav if place else "performance-problems",
        title=place.name if place else title,
        intro=_(
            "Learners' answers to each part of the problem: their first attempt, their last "
            "attempt and all attempts. Correct answers are marked in the table."
        ),
        metrics=("answer_distribution",),
        empty=_("Nobody has answered this problem."),
        sections=sections,
        download=Table(_("Answer distribution"), ANSWER_DOWNLOAD_COLUMNS, download_rows),
        parent=(_("Problems"), course_url("problems", course)),
        trail=place.trail if place else (),
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
