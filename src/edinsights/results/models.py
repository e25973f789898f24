"""The result store: tables and columns named as in the original Open edX result store.

Operators' existing SQL against `course_enrollment_daily` and friends keeps working. Every
row carries `created`, the time the pipeline published it. `MetricRun` is edinsights' own
bookkeeping: the last successful run of each metric ("data last updated").
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


class EventTotalsDaily(models.Model):
    """edinsights' own health view: events and active learners per day, per course and overall."""

    course_id = models.CharField(max_length=255, null=True)
    """NULL: all events of the day, with or without a course."""
    date = models.DateField()
    events = models.BigIntegerField()
    active_learners = models.IntegerField()
    created = models.DateTimeField()

    class Meta:
        db_table = "edinsights_event_totals_daily"
        indexes = [models.Index(fields=["course_id", "date"], name="event_totals_course_date")]


class MetricRun(models.Model):
    """One successful publication of a metric's result table."""

    metric = models.CharField(max_length=100)
    table = models.CharField(max_length=100)
    started = models.DateTimeField()
    finished = models.DateTimeField()
    rows = models.BigIntegerField()
    date_from = models.DateField(null=True)
    date_to = models.DateField(null=True)

    class Meta:
        db_table = "edinsights_metric_run"
        indexes = [models.Index(fields=["metric", "-finished"], name="metric_run_latest")]


def model_for_table(table: str) -> type[models.Model]:
    """The result-store model whose table is `table` (metrics name their table, not the model)."""
    for model in (
        CourseEnrollmentDaily,
        CourseEnrollmentModeDaily,
        CourseActivity,
        CourseMetaSummaryEnrollment,
        EventTotalsDaily,
        MetricRun,
    ):
        if model._meta.db_table == table:
            return model
    raise LookupError(f"no result-store table {table!r}")
