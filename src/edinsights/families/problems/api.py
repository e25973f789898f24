"""The problems module's Data API endpoints: `courses/{course_id}/problems/`,
`courses/{course_id}/problems_and_tags/` and a problem's `answer_distribution/`."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from edinsights.api.access import only_readable
from edinsights.api.base import CourseView, ResultSerializer, ResultView
from edinsights.api.parameters import module_key
from edinsights.families.problems.models import AnswerDistribution, ProblemSummary, TagsDistribution


class ProblemSerializer(ResultSerializer):
    class Meta:
        model = ProblemSummary
        exclude = ("id", "course_id")


def _then(extra: str) -> tuple[str, ...]:
    """ProblemSerializer's fields, then `extra` (as the view gives them; DRF would put it first)."""
    excluded = ProblemSerializer.Meta.exclude
    return (*(field.name for field in ProblemSummary._meta.fields if field.name not in excluded), extra)


class ProblemPartsSerializer(ProblemSerializer):
    """Schema only: a problem with its parts' ids (the view adds them after the model's fields)."""

    part_ids = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = ProblemSummary
        fields = _then("part_ids")


class ProblemTagsSerializer(ProblemSerializer):
    """Schema only: a problem with its tags, tag name → values (added after the model's fields)."""

    tags = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))

    class Meta:
        model = ProblemSummary
        fields = _then("tags")


class AnswerSerializer(ResultSerializer):
    class Meta:
        model = AnswerDistribution
        exclude = ("id",)


def _problems(course: str) -> list[dict[str, Any]]:
    rows = ProblemSummary.objects.filter(course_id=course).order_by("module_id")
    return ProblemSerializer.render(rows)


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


@extend_schema(responses=ProblemPartsSerializer(many=True))
class ProblemsView(CourseView):
    metrics = ("problem_summary", "answer_distribution")

    def rows(self, request: Request, course: str) -> list[dict[str, Any]]:
        parts = _part_ids(course)
        return [{**problem, "part_ids": parts.get(problem["module_id"], [])} for problem in _problems(course)]


@extend_schema(responses=ProblemTagsSerializer(many=True))
class ProblemsAndTagsView(CourseView):
    metrics = ("problem_summary", "tags_distribution")

    def rows(self, request: Request, course: str) -> list[dict[str, Any]]:
        tags: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for row in TagsDistribution.objects.filter(course_id=course).order_by("tag_name", "tag_value"):
            tags[row.module_id][row.tag_name].append(row.tag_value)
        return [
            {**problem, "tags": dict(tags.get(problem["module_id"], {}))} for problem in _problems(course)
        ]


@extend_schema(responses=AnswerSerializer(many=True))
class AnswerDistributionView(ResultView):
    metrics = ("answer_distribution",)

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
        data = AnswerSerializer.render(rows)
        if not data:
            raise NotFound(f"no answer distribution for {module}")
        return self.respond(data)
