"""The video module's Data API endpoints: `courses/{course_id}/videos/` and a video's `timeline/`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from edinsights.api.access import can_read
from edinsights.api.base import CourseView, ResultSerializer, ResultView
from edinsights.api.parameters import course_key
from edinsights.families.video.models import Video, VideoTimeline


class VideoSerializer(ResultSerializer):
    class Meta:
        model = Video
        exclude = ("id", "course_id")


class VideoTimelineSerializer(ResultSerializer):
    class Meta:
        model = VideoTimeline
        exclude = ("id", "pipeline_video_id")


@extend_schema(responses=VideoSerializer(many=True))
class VideosView(CourseView):
    metrics = ("video",)

    def rows(self, request: Request, course: str) -> list[dict[str, Any]]:
        videos = Video.objects.filter(course_id=course).order_by("encoded_module_id")
        return VideoSerializer.render(videos)


@extend_schema(responses=VideoTimelineSerializer(many=True))
class VideoTimelineView(ResultView):
    """`video_id` is the `pipeline_video_id` (`<course_id>|<block id>`) that `videos/` lists."""

    metrics = ("video_timeline",)

    def get(self, request: Request, video_id: str) -> Response:
        course, separator, block = video_id.partition("|")
        if not separator or not block:
            raise ValidationError({"video_id": "expected <course_id>|<block id>, as videos/ lists them"})
        course = course_key(course)
        if not can_read(request.user, course):
            raise NotFound(f"no timeline for video {video_id}")
        rows = VideoTimeline.objects.filter(pipeline_video_id=f"{course}|{block}").order_by("segment")
        data = VideoTimelineSerializer.render(rows)
        if not data:
            raise NotFound(f"no timeline for video {video_id}")
        return self.respond(data)
