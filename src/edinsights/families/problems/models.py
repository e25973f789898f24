"""Problem result tables: answer distributions, per-problem totals and tag distributions.

Table and column names are the original Open edX result store's (see edinsights.results.models);
every row carries `created`, the time the pipeline published it.
"""

from __future__ import annotations

from django.db import models


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
