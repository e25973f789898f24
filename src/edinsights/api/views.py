"""The Data API, compatible with the Open edX Analytics Data API's `/api/v0/`.

Conventions kept from the original: `start_date` inclusive and `end_date` exclusive; with
neither, only the latest day (or week); datetimes as `2014-12-15T000000`; mode keys present
with 0. Changed: malformed keys and dates are a 400 with a JSON body; "no rows" is an empty
list (the original's 404) except where a 404 is the answer the original's clients need (a
course or module nobody may read, or that has no results at all); every response carries
`Data-Last-Updated`. See docs/api.md.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from edinsights.api.access import only_readable
from edinsights.api.base import CourseView, ResultView, record
from edinsights.api.parameters import module_key
from edinsights.families.engagement.models import ModuleEngagementMetricRanges
from edinsights.families.problems.models import AnswerDistribution, ProblemSummary, TagsDistribution

RANGE_ORDER = {"low": 0, "normal": 1, "high": 2}


def _part_ids(course: str) -> dict[str, list[str]]:
    parts: dict[str, list[str]] = defaultdict(list)
    for module_id, part_id in (
        AnswerDistribution.objects.filter(course_id=course)
        .values_list("module_id", "part_id")
        .distinct()
        .order_by("module_id", "part_id")
    ):
        parts[module_id].append(part_id)
    return parts


def _problem(row: ProblemSummary) -> dict[str, Any]:
    fields = (
        "module_id",
        "problem_display_name",
        "total_submissions",
        "correct_submissions",
        "users",
        "users_correct",
        "created",
    )
    return record(row, fields)


class ProblemsView(CourseView):
    metrics = ("problem_summary", "answer_distribution")

    def rows(self, request: Request, course: str) -> list[dict[str, Any]]:
        parts = _part_ids(course)
        return [
            {**_problem(row), "part_ids": parts.get(row.module_id, [])}
            for row in ProblemSummary.objects.filter(course_id=course).order_by("module_id")
        ]


class ProblemsAndTagsView(CourseView):
    metrics = ("problem_summary", "tags_distribution")

    def rows(self, request: Request, course: str) -> list[dict[str, Any]]:
        tags: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for row in TagsDistribution.objects.filter(course_id=course).order_by("tag_name", "tag_value"):
            tags[row.module_id][row.tag_name].append(row.tag_value)
        return [
            {**_problem(row), "tags": dict(tags.get(row.module_id, {}))}
            for row in ProblemSummary.objects.filter(course_id=course).order_by("module_id")
        ]


class UserEngagementView(CourseView):
    """The course's learner-engagement ranges (low / normal / high per metric), last 7 days.

    Ranges are half-open [low_value, high_value); null is unbounded (+inf), as the original
    stores it.
    """

    metrics = ("module_engagement_metric_ranges",)
    FIELDS = (
        "course_id",
        "start_date",
        "end_date",
        "metric",
        "range_type",
        "low_value",
        "high_value",
        "created",
    )

    def rows(self, request: Request, course: str) -> list[dict[str, Any]]:
        ranges = ModuleEngagementMetricRanges.objects.filter(course_id=course)
        # By range type, not by bounds: databases sort NULL (unbounded) first or last.
        rows = sorted(ranges, key=lambda row: (row.metric, RANGE_ORDER.get(row.range_type, len(RANGE_ORDER))))
        return [record(row, self.FIELDS) for row in rows]


class AnswerDistributionView(ResultView):
    metrics = ("answer_distribution",)
    FIELDS = (
        "course_id",
        "module_id",
        "part_id",
        "correct",
        "count",
        "first_response_count",
        "last_response_count",
        "value_id",
        "answer_value",
        "variant",
        "problem_display_name",
        "question_text",
        "created",
    )

    def get(self, request: Request, problem_id: str) -> Response:
        # An id that is no usage key may still be a problem's: events name problems as the LMS
        # sent them. Looked up as it is then; the 400 only when nothing has that id.
        try:
            module = module_key(problem_id)
        except ValidationError:
            raw = AnswerDistribution.objects.filter(module_id=problem_id)
            if not only_readable(request.user, raw).exists():
                raise
            module = problem_id
        rows = AnswerDistribution.objects.filter(module_id=module)
        rows = only_readable(request.user, rows).order_by("part_id", "variant", "value_id", "answer_value")
        data = [record(row, self.FIELDS) for row in rows]
        if not data:
            raise NotFound(f"no answer distribution for {module}")
        return self.respond(data)
