"""The structure's result tables: every course's outline and grading policy, as last imported.

The import writes Parquet beside the events (storage.py); the `course_structure` and
`course_grading_policy` metrics publish them here, in the result store, because the API and the
pages (any module's, through `edinsights.structure.outline`) read the result store only.
"""

from __future__ import annotations

from django.db import models


class CourseBlock(models.Model):
    """One block of a course's outline (docs/structure.md, "blocks"), in pre-order (`sort_idx`)."""

    course_id = models.CharField(max_length=255)
    block_id = models.CharField(max_length=255)
    block_name = models.CharField(max_length=255)
    """The key's last part: what bare ids in events match."""
    block_type = models.CharField(max_length=64)
    display_name = models.TextField()
    parent_block_id = models.CharField(max_length=255, null=True)
    sort_idx = models.IntegerField()
    is_root = models.BooleanField()
    is_orphan = models.BooleanField()
    is_dag = models.BooleanField()
    course_path = models.TextField()
    graded = models.BooleanField()
    format = models.CharField(max_length=255, null=True)
    due = models.DateTimeField(null=True)
    start = models.DateTimeField(null=True)
    created = models.DateTimeField()

    class Meta:
        db_table = "course_structure"
        indexes = [models.Index(fields=["course_id", "sort_idx"], name="course_structure_course")]


class GradingPolicyEntry(models.Model):
    """One assignment type of a course's grading policy."""

    course_id = models.CharField(max_length=255)
    assignment_type = models.CharField(max_length=255)
    weight = models.FloatField()
    """A fraction of the grade (0.2 = 20 %)."""
    drop_count = models.IntegerField()
    min_count = models.IntegerField()
    created = models.DateTimeField()

    class Meta:
        db_table = "course_grading_policy"
        indexes = [models.Index(fields=["course_id"], name="course_grading_policy_course")]
