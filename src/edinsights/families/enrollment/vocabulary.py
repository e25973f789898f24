"""The enrollment module's vocabulary, written once: the enrollment modes, their labels and how
the Data API and the pages fold them. Read by the API (mode keys), the pages (labels, folding,
the Courses list's mode filter) and the simulator (the modes it enrolls learners in).

No Django import beyond lazy translations: the simulator and the metric declarations read it
before (or without) Django being set up.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT = "audit"
CREDIT = "credit"
HONOR = "honor"
PROFESSIONAL = "professional"
VERIFIED = "verified"
MASTERS = "masters"
NO_ID_PROFESSIONAL = "no-id-professional"

ENROLLMENT_MODES = (AUDIT, CREDIT, HONOR, PROFESSIONAL, VERIFIED, MASTERS)
"""Mode keys every Data API enrollment/mode row and course summary carries (0 when nobody is in
the mode), in the original API's order."""

FOLDED_MODES = {NO_ID_PROFESSIONAL: PROFESSIONAL}
"""Modes the Data API and the pages show as another, as the original does."""

MODE_LABELS = {
    AUDIT: _("Audit"),
    HONOR: _("Honor"),
    VERIFIED: _("Verified"),
    PROFESSIONAL: _("Professional"),
    CREDIT: _("Credit"),
    MASTERS: _("Master's"),
}
"""Each shown (folded) mode's label, in the order the pages list modes."""


def folded_mode(mode: str) -> str:
    """The mode as the API and the pages show it: no-id-professional is professional."""
    return FOLDED_MODES.get(mode, mode)


def unfolded_modes(mode: str) -> list[str]:
    """The stored modes that show as `mode` (a filter on professional takes no-id-professional too)."""
    return [mode, *(stored for stored, shown in FOLDED_MODES.items() if shown == mode)]


UPCOMING = "Upcoming"
CURRENT = "Current"
ARCHIVED = "Archived"
STARTING_SOON = "Starting Soon"
UNKNOWN = "unknown"
AVAILABILITIES = (UPCOMING, CURRENT, ARCHIVED)
"""A course's availability as the course summary stores it and the API and pages show it;
`unknown` filters the courses without a catalog entry (availability NULL)."""

FOLDED_AVAILABILITIES = {STARTING_SOON: UPCOMING}
"""Stored values shown as another: course-discovery's "Starting Soon" (a store loaded from the
original may hold it) is Upcoming, as the original API shows it."""

AVAILABILITY_LABELS = {
    UPCOMING: _("Upcoming"),
    CURRENT: _("Current"),
    ARCHIVED: _("Archived"),
    UNKNOWN: _("Unknown"),
}

INSTRUCTOR_PACED = "instructor_paced"
SELF_PACED = "self_paced"
PACING_TYPES = (INSTRUCTOR_PACED, SELF_PACED)
PACING_LABELS = {INSTRUCTOR_PACED: _("Instructor-paced"), SELF_PACED: _("Self-paced")}


def folded_availability(value: str | None) -> str | None:
    """The availability as the API and the pages show it (None: no catalog entry)."""
    return FOLDED_AVAILABILITIES.get(value, value) if value is not None else None


def stored_availabilities(value: str) -> list[str]:
    """The stored values that show as `value` (Upcoming takes Starting Soon too)."""
    return [value, *(stored for stored, shown in FOLDED_AVAILABILITIES.items() if shown == value)]
