"""The engagement module's Data API endpoint: `courses/{course_id}/user_engagement/`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from edinsights.api.base import CourseView, ResultSerializer
from edinsights.families.engagement.models import ModuleEngagementMetricRanges
from edinsights.families.engagement.vocabulary import RANGE_TYPES


class EngagementRangeSerializer(ResultSerializer):
    class Meta:
        model = ModuleEngagementMetricRanges
        exclude = ("id",)


@extend_schema(responses=EngagementRangeSerializer(many=True))
class UserEngagementView(CourseView):
    """The course's learner-engagement ranges (low / normal / high per metric), last 7 days.

    Ranges are half-open [low_value, high_value); null is unbounded (+inf), as the original
    stores it.
    """

    metrics = ("module_engagement_metric_ranges",)

    def rows(self, request: Request, course: str) -> list[dict[str, Any]]:
        ranges = ModuleEngagementMetricRanges.objects.filter(course_id=course)
        # By range type, not by bounds: databases sort NULL (unbounded) first or last.
        order = {range_type: position for position, range_type in enumerate(RANGE_TYPES)}
        rows = sorted(ranges, key=lambda row: (row.metric, order.get(row.range_type, len(order))))
        return EngagementRangeSerializer.render(rows)
