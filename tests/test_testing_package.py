"""edinsights.testing: the helpers and fixtures a module author writes tests with."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from edinsights.events.store import EventStore
from edinsights.testing import (
    api_client,
    dashboard_client,
    event_line,
    published,
    result_database,
    run_ingest,
    stored_events,
    write_log,
)

COURSE_A = "course-v1:Testing+A+2024"
COURSE_B = "course-v1:Testing+B+2024"
ROOT = Path(__file__).resolve().parents[1]


def test_event_lines_go_into_the_event_store(store: EventStore, tmp_path: Path) -> None:
    lines = [event_line(event_type="edx.testing.one"), event_line(event_type="edx.testing.two")]
    summary = run_ingest(store, write_log(tmp_path / "logs" / "tracking.log.gz", lines))
    assert summary.events_stored == 2
    assert [event["event_type"] for event in stored_events(store)] == ["edx.testing.one", "edx.testing.two"]


def test_a_metrics_rows_on_each_backend(tmp_path: Path, result_db: str) -> None:
    enrolled = event_line(
        event_type="edx.course.enrollment.activated",
        event={"course_id": COURSE_A, "user_id": 5, "mode": "audit"},
        context={"course_id": COURSE_A, "user_id": 5, "org_id": "Testing", "path": "/x"},
    )
    rows = published(tmp_path, [enrolled], "enrollment_daily", result_db)
    assert [(row["course_id"], str(row["date"]), row["count"]) for row in rows] == [
        (COURSE_A, "2024-01-04", 1)
    ]


def test_a_scratch_result_store_is_migrated_then_dropped(django_home, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from django.db import connections

    with result_database("sqlite", tmp_path) as alias:
        assert "edinsights_metric_run" in connections[alias].introspection.table_names()
    assert alias not in connections.settings
    with (
        pytest.raises(ValueError, match="unknown result-store backend 'oracle'"),
        result_database("oracle", tmp_path),
    ):
        pass


@pytest.fixture
def two_courses(django_home) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Summary rows of COURSE_A and COURSE_B in the default result store, removed afterwards."""
    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment

    created = datetime(2024, 3, 18, tzinfo=UTC)
    CourseMetaSummaryEnrollment.objects.bulk_create(
        CourseMetaSummaryEnrollment(
            course_id=course,
            enrollment_mode="audit",
            count=7,
            cumulative_count=7,
            count_change_7_days=0,
            created=created,
            catalog_course_title=f"Testing {course[-6]}",
        )
        for course in (COURSE_A, COURSE_B)
    )
    try:
        yield
    finally:
        CourseMetaSummaryEnrollment.objects.filter(course_id__in=[COURSE_A, COURSE_B]).delete()


def test_the_api_client_reads_the_granted_courses_with_its_token(two_courses) -> None:  # type: ignore[no-untyped-def]
    client = api_client("testing-api", [COURSE_A])
    response = client.get("/api/v0/course_summaries/")
    assert response.status_code == 200, response.content
    assert [row["course_id"] for row in response.json()] == [COURSE_A]
    assert client.get("/api/v0/authenticated").status_code == 200
    from django.test import Client

    assert Client().get("/api/v0/authenticated").status_code == 401  # the token does it


def test_the_dashboard_client_is_signed_in_and_reads_the_granted_courses(two_courses) -> None:  # type: ignore[no-untyped-def]
    page = dashboard_client("testing-dashboard", [COURSE_B]).get("/courses/")
    assert page.status_code == 200
    assert "Testing B" in page.text
    assert "Testing A" not in page.text
    staff = dashboard_client("testing-staff", staff=True).get("/courses/")
    assert "Testing A" in staff.text and "Testing B" in staff.text


def test_the_fixtures_as_factories(api_client, dashboard_client) -> None:  # type: ignore[no-untyped-def]
    assert api_client("testing-factory", all_courses=True).get("/api/v0/authenticated").status_code == 200
    assert dashboard_client("testing-factory-user").get("/courses/").status_code == 200


def test_a_modules_tests_get_the_plugin_and_its_markers(tmp_path: Path) -> None:
    """Outside this checkout's tests: one conftest line gives the fixtures and the markers."""
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["edinsights.testing.plugin"]\n')
    (tmp_path / "test_module.py").write_text(
        "import pytest\n"
        "from edinsights.testing import event_line, run_ingest, stored_events, write_log\n\n"
        "@pytest.mark.slow\n"
        "def test_store(store, tmp_path):\n"
        "    run_ingest(store, write_log(tmp_path / 'x.log', [event_line()]))\n"
        "    assert len(stored_events(store)) == 1\n\n"
        "@pytest.mark.live\n"
        "def test_live():\n"
        "    pass\n"
    )
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--strict-markers",
            "-m",
            "not live",
            "-q",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "1 passed, 1 deselected" in completed.stdout
