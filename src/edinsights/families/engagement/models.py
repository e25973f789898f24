"""Learner engagement result tables: per learner, day and entity, and the course's ranges.

Table and column names are the original Open edX result store's (see edinsights.results.models);
every row carries `created`, the time the pipeline published it.
"""

from __future__ import annotations

from django.db import models


class ModuleEngagement(models.Model):
    course_id = models.CharField(max_length=255)
    username = models.CharField(max_length=255)
    date = models.DateField()
    entity_type = models.CharField(max_length=20)
    entity_id = models.CharField(max_length=255)
    event = models.CharField(max_length=20)
    count = models.IntegerField()
    created = models.DateTimeField()

    class Meta:
        db_table = "module_engagement"
        indexes = [models.Index(fields=["course_id", "date"], name="module_engagement_course_date")]


class ModuleEngagementMetricRanges(models.Model):
    course_id = models.CharField(max_length=255)
    start_date = models.DateField()
    end_date = models.DateField()
    """Exclusive."""
    metric = models.CharField(max_length=50)
    range_type = models.CharField(max_length=10)
    low_value = models.FloatField(null=True)
    """Inclusive; NULL: unbounded (+inf), as in the original's MySQL table."""
    high_value = models.FloatField(null=True)
    """Exclusive; NULL: unbounded (+inf)."""
    created = models.DateTimeField()

    class Meta:
        db_table = "module_engagement_metric_ranges"
        indexes = [models.Index(fields=["course_id"], name="engagement_ranges_course")]
