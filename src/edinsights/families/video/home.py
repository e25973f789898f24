"""The video module's part of the course home: videos watched and their completion."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from edinsights.dashboard.pages import HomePart, course_url
from edinsights.dashboard.presentation import PERCENT, Tile, percent
from edinsights.families.video.models import Video


def course_home(course: str) -> HomePart:
    totals = Video.objects.filter(course_id=course).aggregate(
        videos=Count("id"), started=Sum("users_at_start"), ended=Sum("users_at_end")
    )
    link = course_url("videos", course)
    return HomePart(
        tiles=[
            Tile(_("Videos watched"), totals["videos"], link=link),
            Tile(_("Video completion"), percent(totals["ended"], totals["started"]), PERCENT, link=link),
        ],
        metrics=("video",),
    )
