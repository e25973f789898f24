"""The activity module's vocabulary, written once: the kinds of weekly activity, as the result
table labels them, as the Data API names them, as pages and the simulator's ground truth key
them, and their titles. The SQL renders its labels from it (`metrics.py`), the API and the
pages read the mappings below, the simulator counts its ground truth under `key`.

No Django import beyond lazy translations (see the enrollment vocabulary).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ActivityKind:
    label: str
    """`course_activity.label`: the original result store's value."""
    api_name: str
    """The Data API's `activity_type` and the weekly rows' key."""
    key: str
    """The pages' and the simulator's ground truth's key."""
    title: Any
    """Shown text (a lazy translation)."""


ACTIVE = ActivityKind("ACTIVE", "any", "active", _("Active learners"))
ATTEMPTED_PROBLEM = ActivityKind(
    "ATTEMPTED_PROBLEM", "attempted_problem", "attempted_problem", _("Tried a problem")
)
PLAYED_VIDEO = ActivityKind("PLAYED_VIDEO", "played_video", "played_video", _("Played a video"))
POSTED_FORUM = ActivityKind("POSTED_FORUM", "posted_forum", "posted_forum", _("Posted in the forum"))

ACTIVITY_KINDS = (ACTIVE, ATTEMPTED_PROBLEM, PLAYED_VIDEO, POSTED_FORUM)
"""In the order the API's weekly rows and the pages' series list them."""

ACTIVITY_LABELS = {kind.api_name: kind.label for kind in ACTIVITY_KINDS}
"""The Data API's activity types → the table's labels."""

ACTIVITY_SERIES = tuple((kind.label, kind.key, kind.title) for kind in ACTIVITY_KINDS)
"""(label, key, title) of each kind: the pages' series."""

SQL_LABELS = {f"label_{kind.key}": kind.label for kind in ACTIVITY_KINDS}
"""The placeholders course_activity.sql reads its labels from (`{{ label_active }}`...)."""
