"""The forum module's result tables (its own Django app, migrations in ./migrations)."""

from __future__ import annotations

from django.db import models


class ForumActivityWeekly(models.Model):
    course_id = models.CharField(max_length=255)
    interval_start = models.DateTimeField()
    interval_end = models.DateTimeField()
    threads = models.IntegerField()
    responses = models.IntegerField()
    comments = models.IntegerField()
    votes = models.IntegerField()
    posters = models.IntegerField()
    unanswered_threads = models.IntegerField()
    created = models.DateTimeField()

    class Meta:
        db_table = "forum_activity_weekly"
        constraints = [
            models.UniqueConstraint(fields=["course_id", "interval_start"], name="forum_activity_weekly_key")
        ]


class ForumTopicWeekly(models.Model):
    course_id = models.CharField(max_length=255)
    interval_start = models.DateTimeField()
    interval_end = models.DateTimeField()
    commentable_id = models.CharField(max_length=255)
    threads = models.IntegerField()
    responses = models.IntegerField()
    comments = models.IntegerField()
    votes = models.IntegerField()
    posters = models.IntegerField()
    created = models.DateTimeField()

    class Meta:
        db_table = "forum_topic_weekly"
        constraints = [
            models.UniqueConstraint(
                fields=["course_id", "interval_start", "commentable_id"], name="forum_topic_weekly_key"
            )
        ]
