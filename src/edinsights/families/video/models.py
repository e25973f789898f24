"""Video result tables: per video, and per video and 5-second segment.

Table and column names are the original Open edX result store's (see edinsights.results.models);
every row carries `created`, the time the pipeline published it.
"""

from __future__ import annotations

from django.db import models


class Video(models.Model):
    pipeline_video_id = models.CharField(max_length=255, unique=True)
    """`<course_id>|<encoded_module_id>`."""
    course_id = models.CharField(max_length=255)
    encoded_module_id = models.CharField(max_length=255)
    """The video's block id."""
    duration = models.IntegerField()
    segment_length = models.IntegerField()
    users_at_start = models.IntegerField()
    users_at_end = models.IntegerField()
    total_viewed_seconds = models.BigIntegerField()
    created = models.DateTimeField()

    class Meta:
        db_table = "video"
        indexes = [models.Index(fields=["course_id"], name="video_course")]


class VideoTimeline(models.Model):
    pipeline_video_id = models.CharField(max_length=255)
    segment = models.IntegerField()
    num_users = models.IntegerField()
    num_views = models.IntegerField()
    created = models.DateTimeField()

    class Meta:
        db_table = "video_timeline"
        indexes = [models.Index(fields=["pipeline_video_id", "segment"], name="video_timeline_video")]
