"""Performance › Learning outcomes: problems grouped by their learning-outcome tag (docs/dashboard.md).

Built on the `tags_distribution` rows (one per problem and tag value) and, for the problems'
names, the course outline (`edinsights.structure.outline`). An outcome is a tag value that course
authors typed in Studio: it is shown escaped like any text and travels in URLs as one
percent-encoded segment (the `eventid` converter), so `/`, `..` or markup in it stay text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from edinsights.dashboard.pages import Page, Section, block_name, course_url
from edinsights.dashboard.presentation import PERCENT, TEXT, Chart, Column, Series, Table, percent
from edinsights.families.problems.models import ProblemSummary, TagsDistribution
from edinsights.structure.outline import DELETED_NAME, Outline, course_outline

OUTCOME_TAGS = ("learning_outcome", "learning_outcome_tag")
"""Tag names whose values are learning outcomes: the original's `learning_outcome`, and the
`…_tag` spelling some Studio set-ups (and the simulator) give the category."""

DIFFICULTY_TAGS = ("difficulty", "difficulty_tag")
"""Tag names whose values are a problem's difficulty, spelt either way as above."""

METRICS = ("tags_distribution", "course_structure")


@dataclass
class _Problem:
    module_id: str
    total: int
    correct: int
    outcomes: set[str] = field(default_factory=set)
    difficulty: set[str] = field(default_factory=set)

    @property
    def incorrect(self) -> int:
        return self.total - self.correct


def _tagged_problems(course: str) -> dict[str, _Problem]:
    """The course's problems that have an outcome, with their outcomes and difficulty.

    A problem's rows all carry its totals; the same value under both spellings of a tag counts
    once. Blank values are no outcome (they could not be named in a URL either).
    """
    problems: dict[str, _Problem] = {}
    rows = TagsDistribution.objects.filter(
        course_id=course, tag_name__in=OUTCOME_TAGS + DIFFICULTY_TAGS
    ).values_list("module_id", "tag_name", "tag_value", "total_submissions", "correct_submissions")
    for module_id, tag_name, tag_value, total, correct in rows:
        problem = problems.setdefault(module_id, _Problem(module_id, total, correct))
        if not tag_value or not tag_value.strip():
            continue
        (problem.outcomes if tag_name in OUTCOME_TAGS else problem.difficulty).add(tag_value)
    return {module_id: problem for module_id, problem in problems.items() if problem.outcomes}


def outcomes(course: str) -> Page:
    """Every learning outcome: per problem tagged with it, average correct and incorrect submissions."""
    grouped: dict[str, list[_Problem]] = defaultdict(list)
    for problem in _tagged_problems(course).values():
        for outcome in problem.outcomes:
            grouped[outcome].append(problem)
    rows: list[dict[str, Any]] = []
    for order, outcome in enumerate(sorted(grouped), start=1):
        tagged = grouped[outcome]
        count = len(tagged)
        total = sum(problem.total for problem in tagged)
        correct = sum(problem.correct for problem in tagged)
        rows.append(
            {
                "order": order,
                "outcome": outcome,
                "problems": count,
                "total_submissions": total,
                "correct_submissions": correct,
                "incorrect_submissions": total - correct,
                "average_correct": round(correct / count, 1),
                "average_incorrect": round((total - correct) / count, 1),
                "average_submissions": round(total / count, 1),
                "percent_correct": percent(correct, total),
            }
        )
    columns = [
        Column("order", _("Order")),
        Column(
            "outcome",
            _("Outcome name"),
            TEXT,
            link=lambda row: course_url("outcome", course, row["outcome"]),
        ),
        Column("average_correct", _("Average correct")),
        Column("average_incorrect", _("Average incorrect")),
        Column("average_submissions", _("Average submissions per problem")),
        Column("percent_correct", _("Percentage correct"), PERCENT),
    ]
    table = Table(_("Learning outcomes: submissions per problem"), columns, rows)
    chart = Chart(
        "stacked-bar",
        _("Average correct and incorrect submissions per problem, by learning outcome"),
        "outcome",
        [
            Series(_("Average correct"), "average_correct"),
            Series(_("Average incorrect"), "average_incorrect"),
        ],
        x_title=_("Learning outcome"),
        y_title=_("Submissions per problem"),
        rows=rows,
    )
    download = [
        *columns[:2],
        Column("problems", _("Problems")),
        Column("total_submissions", _("Submissions")),
        Column("correct_submissions", _("Correct submissions")),
        Column("incorrect_submissions", _("Incorrect submissions")),
        *columns[2:],
    ]
    return Page(
        nav="performance-outcomes",
        title=_("Learning outcomes"),
        intro=_(
            "Problems grouped by the learning outcome course authors tagged them with: how many "
            "submissions per problem were correct and incorrect. Open an outcome to see its problems."
        ),
        metrics=METRICS,
        empty=_(
            "No problem tagged with a learning outcome has been answered in this course. Tag "
            "problems in Studio (the learning_outcome tag); they appear here once learners have "
            "submitted answers and the pipeline has run."
        ),
        sections=[Section(table, chart)],
        download=Table(table.caption, download, rows),
    )


def outcome(course: str, value: str) -> Page | None:
    """The problems tagged with one outcome, named by their place in the outline; None when none is."""
    tagged = [problem for problem in _tagged_problems(course).values() if value in problem.outcomes]
    if not tagged:
        return None
    outline = course_outline(course)
    names = dict(
        ProblemSummary.objects.filter(
            course_id=course, module_id__in=[problem.module_id for problem in tagged]
        ).values_list("module_id", "problem_display_name")
    )
    placed = []
    for problem in tagged:
        sort_key, name = _place(outline, problem.module_id, names.get(problem.module_id))
        placed.append((sort_key, name, problem))
    placed.sort(key=lambda item: item[0])
    rows: list[dict[str, Any]] = [
        {
            "order": order,
            "problem": name,
            "module_id": problem.module_id,
            "difficulty": ", ".join(sorted(problem.difficulty)),
            "correct_submissions": problem.correct,
            "incorrect_submissions": problem.incorrect,
            "total_submissions": problem.total,
            "percent_correct": percent(problem.correct, problem.total),
        }
        for order, (_key, name, problem) in enumerate(placed, start=1)
    ]
    columns = [
        Column("order", _("Order")),
        Column(
            "problem",
            _("Problem name"),
            TEXT,
            link=lambda row: course_url("problem", course, row["module_id"]),
        ),
        Column("difficulty", _("Difficulty"), TEXT),
        Column("correct_submissions", _("Correct")),
        Column("incorrect_submissions", _("Incorrect")),
        Column("total_submissions", _("Total")),
        Column("percent_correct", _("Percentage correct"), PERCENT),
    ]
    table = Table(_("Problems with this learning outcome: submissions"), columns, rows)
    chart = Chart(
        "stacked-bar",
        _("Correct and incorrect submissions per problem"),
        "problem",
        [Series(_("Correct"), "correct_submissions"), Series(_("Incorrect"), "incorrect_submissions")],
        x_title=_("Problem"),
        y_title=_("Submissions"),
        rows=rows,
    )
    return Page(
        nav="performance-outcomes",
        title=_("Learning outcome: %(outcome)s") % {"outcome": value},
        intro=_(
            "The problems tagged with this learning outcome, in course order, with their "
            "difficulty and submissions. Open a problem to see which answers learners gave."
        ),
        metrics=METRICS,
        empty=_("No problem with this learning outcome has been answered."),
        sections=[Section(table, chart)],
        download=Table(
            table.caption, [*columns[:2], Column("module_id", _("Problem id"), TEXT), *columns[2:]], rows
        ),
        parent=(_("Learning outcomes"), course_url("outcomes", course)),
    )


def _place(outline: Outline, module_id: str, display_name: str | None) -> tuple[tuple[int, int, str], str]:
    """(sort key, "Section, Subsection, Problem") of a problem; one the outline does not place in
    a subsection is "(Deleted), <its name>" and sorts last."""
    block = outline.placed(module_id)
    if block is not None and block.section and block.subsection:
        section = outline.container(block.section)
        subsection = outline.container(block.subsection)
        if section is not None and subsection is not None:
            parts = [
                section.display_name or section.block_name,
                subsection.display_name or subsection.block_name,
                block.display_name or block.block_name,
            ]
            return (0, block.sort_idx, module_id), ", ".join(parts)
    found = outline.find(module_id)
    name = (found.display_name if found is not None else None) or display_name or block_name(module_id)
    return (1, 0, module_id), f"{DELETED_NAME}, {name}"
