"""The result tables moved from the `results` app into their modules' apps without touching the
database: a store migrated by the release before keeps its tables and rows, and reads them
through the modules' models."""

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

MIGRATION_SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    os.environ["EDINSIGHTS_HOME"] = sys.argv[1]
    os.environ["DJANGO_SETTINGS_MODULE"] = "edinsights.web.settings"
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    # A result store as the release before the move left it: every result table in `results`.
    call_command("migrate", "results", "0006", verbosity=0)
    before = sorted(connection.introspection.table_names())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote('video')} (pipeline_video_id, course_id, encoded_module_id, duration,"
            " segment_length, users_at_start, users_at_end, total_viewed_seconds, created)"
            " VALUES ('course-v1:A+B+C|v1', 'course-v1:A+B+C', 'v1', 120, 5, 10, 4, 900,"
            " '2025-01-02 03:04:05')"
        )
        cursor.execute(
            f"INSERT INTO {quote('course_enrollment_daily')} (course_id, date, count, cumulative_count,"
            " created) VALUES ('course-v1:A+B+C', '2025-01-01', 7, 9, '2025-01-02 03:04:05')"
        )
    call_command("migrate", verbosity=0)
    after = sorted(connection.introspection.table_names())

    from edinsights.families.enrollment.models import CourseEnrollmentDaily
    from edinsights.families.video.models import Video
    video = Video.objects.get()
    print(json.dumps({
        "before": before,
        "lost_tables": sorted(set(before) - set(after)),
        "video": [video.pipeline_video_id, video.users_at_end, video._meta.label],
        "enrolled": CourseEnrollmentDaily.objects.get().count,
    }))
    """
)


@pytest.mark.parametrize("backend", backend_params())  # MariaDB and PostgreSQL: live
def test_an_existing_store_keeps_its_tables_and_rows(tmp_path: Path, backend: str) -> None:
    name = scratch.new_name("edinsights_move")
    url = scratch.create(backend, name, tmp_path)
    try:
        completed = subprocess.run(
            [sys.executable, "-c", MIGRATION_SCRIPT, str(tmp_path / "home")],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "EDINSIGHTS_RESULTS_DB": url},
        )
    finally:
        scratch.drop(backend, name)
    assert completed.returncode == 0, completed.stderr
    outcome = json.loads(completed.stdout)
    # The tables were all there before the move (results 0001-0006 made them) and none went away.
    assert set(outcome["before"]) >= MOVED_TABLES
    assert outcome["lost_tables"] == []
    assert outcome["video"] == ["course-v1:A+B+C|v1", 4, "video.Video"]
    assert outcome["enrolled"] == 7


NEW_TABLES = {"course_structure", "course_grading_policy", "edinsights_section_activity"}
"""Result tables created by their module's own migrations since the move."""

MOVED_TABLES = {
    "course_enrollment_daily",
    "course_enrollment_mode_daily",
    "course_meta_summary_enrollment",
    "course_activity",
    "edinsights_event_totals_daily",
    "video",
    "video_timeline",
    "answer_distribution",
    "edinsights_problem_summary",
    "tags_distribution",
    "module_engagement",
    "module_engagement_metric_ranges",
}


def test_every_result_model_belongs_to_its_module(django_home: object) -> None:
    from edinsights.modules import BUILTIN_ORDER, modules

    builtins = [module for module in modules() if module.name in BUILTIN_ORDER]
    assert len(builtins) == len(BUILTIN_ORDER)
    for module in builtins:
        for model in module.result_models():
            assert model._meta.app_config.name == module.app, model
            assert model._meta.db_table in MOVED_TABLES | NEW_TABLES
