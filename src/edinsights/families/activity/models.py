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


class SectionActivity(models.Model):
    """Per section of a course's imported outline (and one "(Deleted)" row): distinct learners
    over all computed days (docs/metrics.md, `section_activity`)."""

    course_id = models.CharField(max_length=255)
    section_block_id = models.CharField(max_length=255, null=True)
    """The section's (chapter's) usage key; NULL: activity on blocks the outline does not place."""
    learners = models.IntegerField()
    """Learners who viewed something in it or tried one of its problems."""
    viewed = models.IntegerField()
    attempted_problem = models.IntegerField()
    created = models.DateTimeField()

    class Meta:
        db_table = "edinsights_section_activity"
        indexes = [models.Index(fields=["course_id"], name="section_activity_course")]
