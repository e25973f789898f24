"""Performance › Graded content and › Ungraded problems: the course's problems in its outline
(docs/dashboard.md), with correct and incorrect last submissions per problem (docs/metrics.md).

Graded: assignment types of the grading policy → assignments (graded subsections of that
`format`, in outline order) → problems → a problem's answer distribution. Ungraded: sections →
subsections → problems → answer distribution. Problems the outline no longer lists are under
"(Deleted)" (`edinsights.structure.outline`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from edinsights.dashboard.pages import Page, Section, block_name, course_url
from edinsights.dashboard.presentation import (
    PERCENT,
    TEXT,
    Chart,
    Column,
    Proportion,
    Proportions,
    Series,
    Table,
    Text,
    percent,
)
from edinsights.families.problems.models import AnswerDistribution
from edinsights.structure.outline import DELETED, DELETED_NAME, Leaf, Node, Outline, course_outline

PROBLEM = "problem"
METRICS = ("answer_distribution", "course_structure", "course_grading_policy")
EMPTY = _("No submissions received for these exercises.")
LAST_ONLY = _(
    "Only each learner's last submission to a problem counts: a learner who answered wrongly and "
    "then correctly is one correct submission."
)


@dataclass(frozen=True)
class Submissions:
    """A problem's last submissions (docs/metrics.md): correct and incorrect, per part on average."""

    correct: float
    incorrect: float

    @property
    def total(self) -> float:
        return self.correct + self.incorrect


NONE = Submissions(0, 0)


def submissions(course: str) -> dict[str, Submissions]:
    """Each answered problem's last submissions, by its `module_id`, from `answer_distribution`:
    the sums of `last_response_count` over its correct and its other answers, divided by its
    number of parts (as the original Data API's `problems/`), so that a learner counts once per
    problem, not once per part."""
    correct: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    parts: dict[str, set[str]] = defaultdict(set)
    for module_id, part_id, is_correct, count in AnswerDistribution.objects.filter(
        course_id=course
    ).values_list("module_id", "part_id", "correct", "last_response_count"):
        parts[module_id].add(part_id)
        total[module_id] += count
        if is_correct:
            correct[module_id] += count
    return {
        module_id: Submissions(
            correct[module_id] / len(parts[module_id]),
            (total[module_id] - correct[module_id]) / len(parts[module_id]),
        )
        for module_id in parts
    }


def _trees(
    course: str, results: dict[str, Submissions] | None = None
) -> tuple[Outline, list[Node[Submissions]], list[Node[Submissions]]]:
    """The outline and its graded and ungraded trees of problems, with `results` (the course's
    `submissions` when None). A problem the outline places goes to its own tree only; one it
    does not place is "(Deleted)" in both."""
    outline = course_outline(course)
    if results is None:
        results = submissions(course)
    graded: dict[str, Submissions] = {}
    ungraded: dict[str, Submissions] = {}
    for module_id, result in results.items():
        block = outline.placed(module_id)
        if block is None or block.block_type != PROBLEM:
            graded[module_id] = ungraded[module_id] = result
        elif block.graded:
            graded[module_id] = result
        else:
            ungraded[module_id] = result
    return (
        outline,
        outline.tree(graded, {PROBLEM}, graded=True),
        outline.tree(ungraded, {PROBLEM}, graded=False),
    )


# ---- Rows ------------------------------------------------------------------------------------


def _totals(leaves: Iterable[Leaf[Submissions]]) -> dict[str, Any]:
    """A group of problems' figures: problems, their average correct and incorrect last
    submissions, average submissions per problem and percentage correct (0 without problems)."""
    results = [leaf.result or NONE for leaf in leaves]
    count = len(results)
    correct = sum(result.correct for result in results)
    incorrect = sum(result.incorrect for result in results)
    return {
        "problems": count,
        "average_correct": _number(correct / count if count else 0),
        "average_incorrect": _number(incorrect / count if count else 0),
        "average_submissions": _number((correct + incorrect) / count if count else 0),
        "percent_correct": percent(correct, correct + incorrect),
        "submissions": correct + incorrect,
    }


def _number(value: float) -> float | int:
    """Rounded to 2 decimals; a whole number as an int (shown "4", not "4.0")."""
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


GROUP_COLUMNS = [
    Column("problems", _("Problems")),
    Column("average_correct", _("Average correct")),
    Column("average_incorrect", _("Average incorrect")),
    Column("average_submissions", _("Average submissions per problem")),
    Column("percent_correct", _("Percentage correct"), PERCENT),
]


def _group_section(
    caption: Text, name_label: Text, rows: list[dict[str, Any]], link: Any, chart_title: Text
) -> Section:
    columns = [
        Column("order", _("Order")),
        Column("name", name_label, TEXT, link=link),
        *GROUP_COLUMNS,
    ]
    chart = Chart(
        "stacked-bar",
        chart_title,
        "name",
        [
            Series(_("Average correct"), "average_correct"),
            Series(_("Average incorrect"), "average_incorrect"),
        ],
        x_title=name_label,
        y_title=_("Last submissions per problem"),
        rows=rows,
    )
    return Section(Table(caption, columns, rows), chart)


def _group_rows(nodes: list[Node[Submissions]]) -> list[dict[str, Any]]:
    return [
        {"order": order, "key": node.key, "name": node.name, **_totals(node.leaves)}
        for order, node in enumerate(nodes, start=1)
    ]


def _download(section: Section, key_label: Text) -> Table:
    """The CSV: the section's table with each row's key (its URL part) first."""
    return Table(
        section.table.caption, [Column("key", key_label, TEXT), *section.table.columns], section.table.rows
    )


def _problem_page(
    course: str, node: Node[Submissions], *, nav: str, trail: tuple[tuple[Text, str], ...], intro: Text
) -> Page:
    """A subsection's or an assignment's problems: correct, incorrect and total last submissions."""
    rows: list[dict[str, Any]] = []
    for order, leaf in enumerate(node.leaves, start=1):
        result = leaf.result or NONE
        rows.append(
            {
                "order": order,
                "name": leaf.name,
                "module_id": leaf.key,
                "answered": leaf.result is not None,
                "correct": _number(result.correct),
                "incorrect": _number(result.incorrect),
                "total": _number(result.total),
                "percent_correct": percent(result.correct, result.total),
            }
        )
    columns = [
        Column("order", _("Order")),
        Column(
            "name",
            _("Problem name"),
            TEXT,
            # Only answered problems have an answer distribution page.
            link=lambda row: course_url("problem", course, row["module_id"]) if row["answered"] else "",
        ),
        Column("correct", _("Correct")),
        Column("incorrect", _("Incorrect")),
        Column("total", _("Total")),
        Column("percent_correct", _("Percentage correct"), PERCENT),
    ]
    table = Table(_("Problem submissions"), columns, rows)
    chart = Chart(
        "stacked-bar",
        _("Correct and incorrect last submissions per problem"),
        "name",
        [Series(_("Correct"), "correct"), Series(_("Incorrect"), "incorrect")],
        x_title=_("Problem"),
        y_title=_("Last submissions"),
        rows=rows,
    )
    section = Section(table, chart)
    return Page(
        nav=nav,
        title=node.name,
        intro=intro,
        metrics=METRICS,
        empty=EMPTY,
        sections=[section] if any(row["answered"] for row in rows) else [],
        download=Table(table.caption, [Column("module_id", _("Problem id"), TEXT), *columns], rows),
        trail=trail,
    )


# ---- Graded content --------------------------------------------------------------------------


@dataclass
class AssignmentType:
    key: str
    """Its URL part (the slugified name, unique in the course)."""
    name: str
    weight: float | None
    """Percent of the grade; None for "(Deleted)"."""
    assignments: list[Node[Submissions]]


def _assignment_types(outline: Outline, graded: list[Node[Submissions]]) -> list[AssignmentType]:
    """The policy's assignment types, each with its assignments (graded subsections of its
    format, in outline order), then "(Deleted)" when some graded problems' blocks are gone;
    none without a grading policy (no structure imported)."""
    if not outline.grading_policy:
        return []
    subsections = [child for node in graded if node.key != DELETED for child in node.children]
    types: list[AssignmentType] = []
    taken: set[str] = {DELETED}
    for entry in outline.grading_policy:
        key = base = slugify(entry.name, allow_unicode=True) or "type"
        number = 1
        while key in taken:
            number += 1
            key = f"{base}-{number}"
        taken.add(key)
        assignments = [node for node in subsections if node.block and node.block.format == entry.name]
        types.append(AssignmentType(key, entry.name, round(entry.weight * 100, 2), assignments))
    deleted = [node for node in graded if node.key == DELETED]
    if deleted:
        types.append(AssignmentType(DELETED, str(DELETED_NAME), None, deleted[0].children))
    return types


def _find_type(course: str, key: str) -> AssignmentType | None:
    outline, graded, _ungraded = _trees(course)
    return next((kind for kind in _assignment_types(outline, graded) if kind.key == key), None)


def _graded_trail(course: str, kind: AssignmentType | None = None) -> tuple[tuple[Text, str], ...]:
    trail: tuple[tuple[Text, str], ...] = ((_("Graded content"), course_url("graded", course)),)
    if kind is not None:
        trail += ((kind.name, course_url("graded_type", course, kind.key)),)
    return trail


def graded_content(course: str) -> Page:
    outline, graded, _ungraded = _trees(course)
    types = _assignment_types(outline, graded)
    rows: list[dict[str, Any]] = [
        {
            "order": order,
            "key": kind.key,
            "name": kind.name,
            "weight": kind.weight,
            "assignments": len(kind.assignments),
            **_totals(leaf for node in kind.assignments for leaf in node.leaves),
        }
        for order, kind in enumerate(types, start=1)
    ]
    columns = [
        Column("order", _("Order")),
        Column(
            "name", _("Assignment type"), TEXT, link=lambda row: course_url("graded_type", course, row["key"])
        ),
        Column("weight", _("Share of the grade"), PERCENT),
        Column("assignments", _("Assignments")),
        *GROUP_COLUMNS,
    ]
    table = Table(_("Assignment types"), columns, rows)
    chart = _group_section(
        table.caption,
        _("Assignment type"),
        rows,
        None,
        _("Average correct and incorrect last submissions per problem, per assignment type"),
    ).chart
    proportions = Proportions(
        _("Assignment types by their share of the grade"),
        [
            Proportion(
                _("%(type)s: %(weight)s%% of the grading policy")
                % {"type": row["name"], "weight": f"{row['weight']:g}"},
                row["weight"],
                course_url("graded_type", course, row["key"]),
            )
            for row in rows
            if row["weight"] is not None
        ],
    )
    return Page(
        nav="performance-graded",
        title=_("Graded content"),
        intro=_(
            "The assignment types of the course's grading policy and how much of the grade each "
            "is. Open a type to see how learners did on its assignments."
        ),
        metrics=METRICS,
        empty=_(
            "No grading policy for this course yet. It appears once the course structure has been "
            "imported (edinsights import structure) and the pipeline has run."
        ),
        sections=[Section(table, chart, proportions=proportions)] if rows else [],
        download=_download(Section(table), _("Assignment type key")),
    )


def assignment_type(course: str, key: str) -> Page | None:
    """An assignment type's assignments; None for a type the course does not have."""
    kind = _find_type(course, key)
    if kind is None:
        return None
    rows = _group_rows(kind.assignments)
    section = _group_section(
        _("Assignment submissions"),
        _("Assignment name"),
        rows,
        lambda row: course_url("graded_assignment", course, kind.key, row["key"]),
        _("Average correct and incorrect last submissions per problem, per assignment"),
    )
    answered = any(row["submissions"] for row in rows)
    return Page(
        nav="performance-graded",
        title=kind.name,
        intro=_("How learners did on each %(type)s assignment, per problem on average. %(note)s")
        % {"type": kind.name, "note": LAST_ONLY},
        metrics=METRICS,
        empty=EMPTY,
        sections=[section] if answered else [],
        download=_download(section, _("Assignment key")),
        trail=_graded_trail(course),
    )


def assignment(course: str, key: str, assignment_key: str) -> Page | None:
    """An assignment's problems; None for an unknown type or an assignment not of that type."""
    kind = _find_type(course, key)
    if kind is None:
        return None
    node = next((node for node in kind.assignments if node.key == assignment_key), None)
    if node is None:
        return None
    return _problem_page(
        course,
        node,
        nav="performance-graded",
        trail=_graded_trail(course, kind),
        intro=_("Correct and incorrect submissions to each problem of the assignment. %(note)s")
        % {"note": LAST_ONLY},
    )


# ---- Ungraded problems -----------------------------------------------------------------------


def _ungraded_trail(course: str, section: Node[Submissions] | None = None) -> tuple[tuple[Text, str], ...]:
    trail: tuple[tuple[Text, str], ...] = ((_("Ungraded problems"), course_url("ungraded", course)),)
    if section is not None:
        trail += ((section.name, course_url("ungraded_section", course, section.key)),)
    return trail


def ungraded_problems(course: str) -> Page:
    _outline, _graded, ungraded = _trees(course)
    rows = _group_rows(ungraded)
    section = _group_section(
        _("Section submissions"),
        _("Section name"),
        rows,
        lambda row: course_url("ungraded_section", course, row["key"]),
        _("Average correct and incorrect last submissions per problem, per section"),
    )
    return Page(
        nav="performance-ungraded",
        title=_("Ungraded problems"),
        intro=_("How learners did on the problems that do not count towards the grade, per section. %(note)s")
        % {"note": LAST_ONLY},
        metrics=METRICS,
        empty=EMPTY,
        sections=[section] if any(row["submissions"] for row in rows) else [],
        download=_download(section, _("Section key")),
    )


def _ungraded_section(course: str, key: str) -> Node[Submissions] | None:
    _outline, _graded, ungraded = _trees(course)
    return next((node for node in ungraded if node.key == key), None)


def ungraded_section(course: str, key: str) -> Page | None:
    node = _ungraded_section(course, key)
    if node is None:
        return None
    rows = _group_rows(node.children)
    section = _group_section(
        _("Subsection submissions"),
        _("Subsection name"),
        rows,
        lambda row: course_url("ungraded_subsection", course, node.key, row["key"]),
        _("Average correct and incorrect last submissions per problem, per subsection"),
    )
    return Page(
        nav="performance-ungraded",
        title=node.name,
        intro=_("Ungraded problems of this section, per subsection. %(note)s") % {"note": LAST_ONLY},
        metrics=METRICS,
        empty=EMPTY,
        sections=[section] if any(row["submissions"] for row in rows) else [],
        download=_download(section, _("Subsection key")),
        trail=_ungraded_trail(course),
    )


def ungraded_subsection(course: str, key: str, subsection_key: str) -> Page | None:
    node = _ungraded_section(course, key)
    child = node.child(subsection_key) if node is not None else None
    if node is None or child is None:
        return None
    return _problem_page(
        course,
        child,
        nav="performance-ungraded",
        trail=_ungraded_trail(course, node),
        intro=_("Correct and incorrect submissions to each ungraded problem of this subsection. %(note)s")
        % {"note": LAST_ONLY},
    )


# ---- A problem's place -----------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a problem's answer distribution page sits: its name, navigation entry and trail."""

    name: str
    nav: str
    trail: tuple[tuple[Text, str], ...]


def problem_place(course: str, module_id: str, fallback: str) -> Place | None:
    """The drill-down a problem belongs to (Graded content › type › assignment, or Ungraded
    problems › section › subsection, "(Deleted)" when the outline does not list it); None
    without an imported outline (the page stays under Problems)."""
    # Only this problem's place matters: the trees need no other results.
    outline, graded, ungraded = _trees(course, {module_id: NONE})
    if not outline.imported:
        return None
    name = outline.name(module_id, fallback or block_name(module_id))
    for kind in _assignment_types(outline, graded):
        if kind.key == DELETED:
            continue
        for node in kind.assignments:
            if any(leaf.key == module_id for leaf in node.leaves):
                trail = (
                    *_graded_trail(course, kind),
                    (node.name, course_url("graded_assignment", course, kind.key, node.key)),
                )
                return Place(name, "performance-graded", trail)
    for section in ungraded:
        for child in section.children:
            if any(leaf.key == module_id for leaf in child.leaves):
                trail = (
                    *_ungraded_trail(course, section),
                    (child.name, course_url("ungraded_subsection", course, section.key, child.key)),
                )
                return Place(name, "performance-ungraded", trail)
    # Graded, but of a format the policy does not count: under Problems, with its outline name.
    return Place(name, "performance-problems", ((_("Problems"), course_url("problems", course)),))
