"""Discussion activity: an analytics module for edinsights, installed as any third-party module is.

Per course and week: threads, responses, comments, votes, distinct posters and unanswered
threads (no response within 48 hours), and per topic (`commentable_id`) the same counts, for the
busiest topics. It uses only edinsights' public module contract (docs/modules.md); its own
documentation is docs/forum.md beside this package.

This file is read while Django's settings load: it imports no Django model or view.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _
from edinsights.modules import AnalyticsModule, NavigationEntry

from edinsights_forum.extraction import FORUM_EVENTS
from edinsights_forum.metrics import FORUM_ACTIVITY_WEEKLY, FORUM_TOPIC_WEEKLY

__all__ = ["MODULE"]

# The docs live beside the package in the checkout the module is developed in.
DOCS = Path(__file__).resolve().parents[2] / "docs" / "forum.md"

MODULE = AnalyticsModule(
    name="forum",
    app="edinsights_forum",
    metrics=(FORUM_ACTIVITY_WEEKLY, FORUM_TOPIC_WEEKLY),
    models=("edinsights_forum.ForumActivityWeekly", "edinsights_forum.ForumTopicWeekly"),
    course_models=("edinsights_forum.ForumActivityWeekly",),
    api_urls="edinsights_forum.urls:api_urls",
    dashboard_urls="edinsights_forum.urls:dashboard_urls",
    navigation=(NavigationEntry("engagement-forum", "forum", _("Discussions"), _("Engagement"), 35),),
    docs=(str(DOCS),),
    extractions=(FORUM_EVENTS,),
)
