"""Who may read which course's results (the API and the dashboard share these grants)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CourseGrant(models.Model):
    """`user` may read `course_id`'s results; a NULL course_id grants every course."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_grants")
    course_id = models.CharField(max_length=255, null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "edinsights_course_grant"
        constraints = [models.UniqueConstraint(fields=["user", "course_id"], name="course_grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.course_id or 'every course'}"
