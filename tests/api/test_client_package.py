"""The unchanged `edx-analytics-data-api-client` package from PyPI against a live `edinsights serve`."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from analyticsclient.client import Client
from analyticsclient.constants import activity_types, data_formats
from analyticsclient.exceptions import NotFoundError

from tests.api.conftest import LiveApi

# A live `edinsights serve` per backend, MariaDB and PostgreSQL among them.
pytestmark = pytest.mark.live


def test_course_module_and_summary_methods(live_api: LiveApi) -> None:
    client = Client(base_url=live_api.url, auth_token=live_api.tokens["all"], timeout=30)
    assert client.status.alive and client.status.authenticated and client.status.healthy
    course_id = live_api.courses[0]
    course = client.courses(course_id)

    [latest] = course.enrollment()
    assert latest["course_id"] == course_id and latest["count"] > 0
    week = course.enrollment(start_date=date(2024, 3, 5), end_date=date(2024, 3, 12))
    assert [row["date"] for row in week] == [f"2024-03-{day:02d}" for day in range(5, 12)]
    [by_mode] = course.enrollment("mode")  # the path segment the client appends
    assert by_mode["count"] == latest["count"] and "verified" in by_mode
    assert course.recent_activity(activity_types.ANY)["count"] > 0
    assert course.activity(activity_types.ANY)[0]["any"] > 0
    problems = course.problems()
    assert problems and course.problems_and_tags()
    videos = course.videos()
    assert videos
    table = list(csv.DictReader(io.StringIO(course.enrollment(data_format=data_formats.CSV))))
    assert int(table[0]["count"]) == latest["count"]

    answers = client.modules(course_id, problems[0]["module_id"]).answer_distribution()
    assert sum(row["first_response_count"] for row in answers) == problems[0]["users"]
    timeline = client.modules(course_id, videos[0]["pipeline_video_id"]).video_timeline()
    assert timeline and timeline[0]["segment"] >= 0

    summaries = client.course_summaries().course_summaries(
        course_ids=live_api.courses[:2], fields=["course_id", "count"]
    )
    assert sorted(row["course_id"] for row in summaries) == live_api.courses[:2]
    # More than 10 ids: the client switches to POST.
    many = [*live_api.courses, *(f"course-v1:Other+C{n}+2024" for n in range(10))]
    assert len(client.course_summaries().course_summaries(course_ids=many)) == len(live_api.courses)
    totals = client.course_totals().course_totals(course_ids=live_api.courses)
    assert totals["count"] == sum(row["count"] for row in client.course_summaries().course_summaries())


ACTIVITY_TYPES = {
    activity_types.ANY: "active",
    activity_types.ATTEMPTED_PROBLEM: "attempted_problem",
    activity_types.PLAYED_VIDEO: "played_video",
    activity_types.POSTED_FORUM: "posted_forum",
}
"""The client's activity types → the simulator's ground-truth keys."""


def test_weekly_activity_carries_every_type_through_the_client(live_api: LiveApi, simulated_logs) -> None:  # type: ignore[no-untyped-def]
    # Course.activity() always sends activity_type (default `any`); Insights' Content page
    # reads all four types from that one call, so the parameter must not narrow the weeks.
    logs, _courses = simulated_logs
    truth = json.loads((Path(logs).parent / "ground_truth.json").read_text())["weekly"]
    client = Client(base_url=live_api.url, auth_token=live_api.tokens["all"], timeout=30)
    for course_id in live_api.courses:
        course = client.courses(course_id)
        expected = {
            f"{week['week_start']}T000000": {key: week[name] or None for key, name in ACTIVITY_TYPES.items()}
            for week in truth
            if week["course_id"] == course_id and week["active"]
        }
        weeks = course.activity(start_date=date(2024, 1, 1), end_date=date(2025, 1, 1))
        counts = {week["interval_start"]: {key: week[key] for key in ACTIVITY_TYPES} for week in weeks}
        assert counts == expected
        [latest] = course.activity()  # no dates: the latest week only
        assert latest == weeks[-1]
        for activity_type in ACTIVITY_TYPES:
            assert course.activity(activity_type) == [latest]
            # recent_activity/ does narrow: the latest week with that type.
            recent = course.recent_activity(activity_type)
            carrying = [week for week in weeks if week[activity_type] is not None][-1]
            assert (recent["interval_start"], recent["count"]) == (
                carrying["interval_start"],
                carrying[activity_type],
            )
    assert any(all(counts.values()) for counts in expected.values())  # the four types do occur


def test_a_scoped_token_gets_not_found_for_other_courses(live_api: LiveApi) -> None:
    client = Client(base_url=live_api.url, auth_token=live_api.tokens["one"], timeout=30)
    assert client.courses(live_api.courses[0]).enrollment()
    with pytest.raises(NotFoundError):
        client.courses(live_api.courses[1]).recent_activity()
