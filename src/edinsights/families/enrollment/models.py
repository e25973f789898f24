"""Enrollment result tables: learners enrolled per course and day, by mode, and the course summaries.

Table and column names are the original Open edX result store's (see edinsights.results.models);
every row carries `created`, the time the pipeline published it.
"""

from __future__ import annotations

from django.db import models


class CourseEnrollmentDaily(models.Model):
    course_id = models.CharField(max_length=255)
    date = models.DateField()
    count = models.IntegerField()
    cumulative_count = models.IntegerField()
    created = models.DateTimeField()

    class Meta:
        db_table = "course_enrollment_daily"
        constraints = [models.UniqueConstraint(fields=["course_id", "date"], name="enrollment_daily_key")]


class CourseEnrollmentModeDaily(models.Model):
    course_id = models.CharField(max_length=255)
    date = models.DateField()
    mode = models.CharField(max_length=255)
    count = models.IntegerField()
    cumulative_count = models.IntegerField()
    created = models.DateTimeField()

    class Meta:
        db_table = "course_enrollment_mode_daily"
        constraints = [
            models.UniqueConstraint(fields=["course_id", "date", "mode"], name="enrollment_mode_daily_key")
        ]


class CourseMetaSummaryEnrollment(models.Model):
    course_id = models.CharField(max_length=255)
    catalog_course_title = models.CharField(max_length=255, null=True)
    catalog_course = models.CharField(max_length=255, null=True)
    start_time = models.DateTimeField(null=True)
    end_time = models.DateTimeField(null=True)
    pacing_type = models.CharField(max_length=255, null=True)
    availability = models.CharField(max_length=255, null=True)
    enrollment_mode = models.CharField(max_length=255)
    count = models.IntegerField()
    cumulative_count = models.IntegerField()
    count_change_7_days = models.IntegerField()
    passing_users = models.IntegerField(null=True)
    created = models.DateTimeField()

    class Meta:
        db_table = "course_meta_summary_enrollment"
        constraints = [
            models.UniqueConstraint(fields=["course_id", "enrollment_mode"], name="course_summary_key")
        ]
        # The original's indexes on the catalog columns: the Courses list filters and sorts on them.
        indexes = [
            models.Index(fields=["catalog_course_title"], name="course_summary_title"),
            models.Index(fields=["catalog_course"], name="course_summary_catalog"),
            models.Index(fields=["pacing_type"], name="course_summary_pacing"),
            models.Index(fields=["availability"], name="course_summary_availability"),
        ]
