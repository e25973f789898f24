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


class AnswerDistribution(models.Model):
    course_id = models.CharField(max_length=255)
    module_id = models.CharField(max_length=255)
    part_id = models.CharField(max_length=255)
    correct = models.BooleanField(null=True)
    count = models.IntegerField()
    """Every submission with this answer."""
    first_response_count = models.IntegerField()
    last_response_count = models.IntegerField()
    value_id = models.TextField(null=True)
    answer_value = models.TextField(null=True)
    variant = models.CharField(max_length=255, null=True)
    problem_display_name = models.TextField(null=True)
    question_text = models.TextField(null=True)
    created = models.DateTimeField()

    class Meta:
        db_table = "answer_distribution"
        indexes = [
            models.Index(fields=["course_id", "module_id"], name="answer_distribution_problem"),
            # The API looks a problem up by its usage key alone (an i4x key does not name the run).
            models.Index(fields=["module_id"], name="answer_distribution_module"),
        ]


class ProblemSummary(models.Model):
    course_id = models.CharField(max_length=255)
    module_id = models.CharField(max_length=255)
    problem_display_name = models.TextField(null=True)
    total_submissions = models.IntegerField()
    correct_submissions = models.IntegerField()
    users = models.IntegerField()
    users_correct = models.IntegerField()
    created = models.DateTimeField()

    class Meta:
        db_table = "edinsights_problem_summary"
        indexes = [models.Index(fields=["course_id", "module_id"], name="problem_summary_problem")]


class TagsDistribution(models.Model):
    course_id = models.CharField(max_length=255)
    module_id = models.CharField(max_length=255)
    tag_name = models.CharField(max_length=255)
    tag_value = models.CharField(max_length=255)
    total_submissions = models.IntegerField()
    correct_submissions = models.IntegerField()
    created = models.DateTimeField()

    class Meta:
        db_table = "tags_distribution"
        indexes = [models.Index(fields=["course_id", "module_id"], name="tags_distribution_problem")]


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


class ComputeRun(models.Model):
    """One `edinsights compute` / `edinsights run`: when it started and, if it did, when it finished.

    Each metric is published in its own transaction, so a run killed (or failed) half way leaves
    some tables from it and others from the run before; `finished` NULL on the latest run is
    how the dashboard knows to say so.
    """

    started = models.DateTimeField()
    finished = models.DateTimeField(null=True)

    class Meta:
        db_table = "edinsights_compute_run"
        indexes = [models.Index(fields=["-started"], name="compute_run_latest")]


def model_for_table(table: str) -> type[models.Model]:
    """The result-store model whose table is `table` (metrics name their table, not the model):
    a module's result model (edinsights.modules), or the core's MetricRun."""
    from edinsights.modules import modules

    known: list[type[models.Model]] = [
        *(model for module in modules() for model in module.result_models()),
        MetricRun,
    ]
    for model in known:
        if model._meta.db_table == table:
            return model
    raise LookupError(f"no result-store table {table!r}")
