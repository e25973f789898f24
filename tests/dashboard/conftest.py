"""The dashboard over results computed from simulated logs, published into the session's default DB."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from edinsights.config import Settings
from edinsights.events.store import EventStore
from tests.conftest import run_ingest


@dataclass
class Dashboard:
    courses: list[str]
    """The simulated courses, sorted."""
    store: Path | None = None
    """The event store's root (its imported structure: StructureStore(store))."""

    def client(self, username: str):  # type: ignore[no-untyped-def]
        """A test client signed in as `username` (made by the fixture)."""
        from django.contrib.auth import get_user_model
        from django.test import Client

        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return client


def summary_row(course: str, mode: str, count: int, change: int = 0, **catalog: str):  # type: ignore[no-untyped-def]
    """An unsaved course-summary row (one course, one mode) dated like the simulated results."""
    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment

    return CourseMetaSummaryEnrollment(
        course_id=course,
        enrollment_mode=mode,
        count=count,
        cumulative_count=count,
        count_change_7_days=change,
        created=datetime(2024, 3, 18, tzinfo=UTC),
        **catalog,
    )


@pytest.fixture(scope="session")
def dashboard(django_home: Settings, simulated_logs, tmp_path_factory) -> Dashboard:  # type: ignore[no-untyped-def]
    """Every metric over the simulated logs, published into the default result store, and users:
    `staff` (every course), `granted` (the first course only), `nobody` (no course)."""
    from django.contrib.auth import get_user_model

    from edinsights.api.tokens import grant
    from edinsights.demo.dataset import import_structure_exports
    from edinsights.pipeline.compute import compute

    logs, courses = simulated_logs
    store = EventStore(Settings.load(tmp_path_factory.mktemp("dashboard") / "home").store_path)
    run_ingest(store, *sorted(Path(logs).iterdir()))
    import_structure_exports(store.root, Path(logs).parent)
    compute(store, using="default", full=True)
    users = get_user_model().objects
    users.get_or_create(username="staff", defaults={"is_staff": True})
    users.get_or_create(username="nobody")
    courses = sorted(courses)
    grant("granted", [courses[0]])
    return Dashboard(courses=courses, store=store.root)
