"""Daily event totals: edinsights' own health table of what it ingests.

Table and column names are the original Open edX result store's (see edinsights.results.models);
every row carries `created`, the time the pipeline published it.
"""

from __future__ import annotations

from django.db import models


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
