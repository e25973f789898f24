"""enrollment 0002: the course summaries' catalog columns get the original's indexes, on every
backend, and a store migrated before keeps its rows (catalog values included)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from edinsights.results import scratch
from edinsights.testing.plugin import backend_params

SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    os.environ["EDINSIGHTS_HOME"] = sys.argv[1]
    os.environ["DJANGO_SETTINGS_MODULE"] = "edinsights.web.settings"
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    def indexed_columns():
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, "course_meta_summary_enrollment")
        return sorted(
            info["columns"][0] for info in found.values()
            if info["index"] and not info["unique"] and len(info["columns"]) == 1
        )

    call_command("migrate", verbosity=0)
    call_command("migrate", "enrollment", "0001", verbosity=0)
    before = indexed_columns()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote('course_meta_summary_enrollment')} (course_id, catalog_course_title,"
            " catalog_course, start_time, end_time, pacing_type, availability, enrollment_mode, count,"
            " cumulative_count, count_change_7_days, passing_users, created) VALUES ('course-v1:A+B+C',"
            " 'Été 1', 'A+B', '2025-01-06 00:00:00', '2025-03-01 00:00:00', 'self_paced', 'Current',"
            " 'audit', 7, 9, 2, NULL, '2025-01-02 03:04:05')"
        )
    call_command("migrate", verbosity=0)
    after = indexed_columns()

    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment
    rows = CourseMetaSummaryEnrollment.objects
    row = rows.get()
    print(json.dumps({
        "before": before,
        "after": after,
        "row": [row.catalog_course_title, row.catalog_course, row.pacing_type, row.availability,
                row.start_time.isoformat()],
        "filtered": rows.filter(availability="Current", pacing_type="self_paced").count(),
    }))
    """
)

CATALOG_INDEXES = ["availability", "catalog_course", "catalog_course_title", "pacing_type"]


@pytest.mark.parametrize("backend", backend_params())  # MariaDB and PostgreSQL: live
def test_catalog_indexes_apply_and_keep_rows(tmp_path: Path, backend: str) -> None:
    name = scratch.new_name("edinsights_catalog")
    url = scratch.create(backend, name, tmp_path)
    try:
        completed = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(tmp_path / "home")],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "EDINSIGHTS_RESULTS_DB": url},
        )
    finally:
        scratch.drop(backend, name)
    assert completed.returncode == 0, completed.stderr
    outcome = json.loads(completed.stdout)
    assert not set(CATALOG_INDEXES) & set(outcome["before"])
    assert set(CATALOG_INDEXES) <= set(outcome["after"])
    assert outcome["row"] == ["Été 1", "A+B", "self_paced", "Current", "2025-01-06T00:00:00+00:00"]
    assert outcome["filtered"] == 1
