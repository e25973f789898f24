"""The weekly activity result table: distinct learners per course and week, by kind of activity.

Table and column names are the original Open edX result store's (see edinsights.results.models);
every row carries `created`, the time the pipeline published it.
"""

from __future__ import annotations

from django.db import models


class CourseActivity(models.Model):
    course_id = models.CharField(max_length=255)
    interval_start = models.DateTimeField()
    interval_end = models.DateTimeField()
    label = models.CharField(max_length=255)
    count = models.IntegerField()
    created = models.DateTimeField()

    class Meta:
        db_table = "course_activity"
        constraints = [
            models.UniqueConstraint(
                fields=["course_id", "interval_start", "label"], name="course_activity_key"
            )
        ]
