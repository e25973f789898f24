"""The problems module's part of the course home: problems attempted and correct attempts."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from edinsights.dashboard.pages import HomePart, course_url
from edinsights.dashboard.presentation import PERCENT, Tile, percent
from edinsights.families.problems.models import ProblemSummary


def course_home(course: str) -> HomePart:
    totals = ProblemSummary.objects.filter(course_id=course).aggregate(
        problems=Count("id"), attempts=Sum("total_submissions"), correct=Sum("correct_submissions")
    )
    link = course_url("problems", course)
    return HomePart(
        tiles=[
            Tile(_("Problems attempted"), totals["problems"], link=link),
            Tile(_("Correct attempts"), percent(totals["correct"], totals["attempts"]), PERCENT, link=link),
        ],
        metrics=("problem_summary",),
    )
