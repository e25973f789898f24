"""The structure module's Data API endpoint: `courses/{course_id}/structure/`, the outline in pre-order."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from edinsights.api.base import CourseView, ResultSerializer
from edinsights.structure.models import CourseBlock


class CourseBlockSerializer(ResultSerializer):
    class Meta:
        model = CourseBlock
        fields = (
            "block_id",
            "block_type",
            "display_name",
            "parent_block_id",
            "course_path",
            "sort_idx",
            "graded",
            "format",
            "due",
            "is_orphan",
            "is_dag",
        )


@extend_schema(responses=CourseBlockSerializer(many=True))
class StructureView(CourseView):
    """The course's blocks in pre-order from the root (orphans last), as last imported."""

    metrics = ("course_structure",)

    def rows(self, request: Request, course: str) -> list[dict[str, Any]]:
        blocks = CourseBlock.objects.filter(course_id=course).order_by("sort_idx", "block_id")
        return CourseBlockSerializer.render(blocks)
