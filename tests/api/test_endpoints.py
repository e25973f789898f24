"""Every Data API endpoint over a live server, on SQLite, MariaDB and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

import pytest
import requests

from tests.api.conftest import DAYS, START, LiveApi

# A live `edinsights serve` per backend, MariaDB and PostgreSQL among them.
pytestmark = pytest.mark.live

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{6}$")
LAST_DAY = START.replace(day=START.day + DAYS - 1).isoformat()


def path(course: str) -> str:
    return f"courses/{quote(course, safe='/:+')}"


def test_enrollment_latest_day_by_default_and_ranges(live_api: LiveApi) -> None:
    course = live_api.courses[0]
    latest = live_api.get(f"{path(course)}/enrollment/")
    assert latest.status_code == 200, latest.text
    [row] = latest.json()
    assert row["date"] == LAST_DAY and row["course_id"] == course and DATETIME.match(row["created"])
    assert row["count"] > 0 and row["cumulative_count"] >= row["count"]
    assert DATETIME.match(latest.headers["Data-Last-Updated"])

    week = live_api.get(
        f"{path(course)}/enrollment/", params={"start_date": "2024-03-05", "end_date": "2024-03-12"}
    )
    dates = [item["date"] for item in week.json()]
    # start_date inclusive, end_date exclusive; the original's datetime form is accepted too.
    assert dates == [f"2024-03-{day:02d}" for day in range(5, 12)]
    same = live_api.get(
        f"{path(course)}/enrollment/",
        params={"start_date": "2024-03-05T000000", "end_date": "2024-03-12T000000"},
    )
    assert same.json() == week.json()


def test_enrollment_by_mode_has_every_mode_key(live_api: LiveApi) -> None:
    [row] = live_api.get(f"{path(live_api.courses[0])}/enrollment/mode/").json()
    modes = ("audit", "credit", "honor", "professional", "verified", "masters")
    assert all(isinstance(row[mode], int) for mode in modes)
    assert row["count"] == sum(row[mode] for mode in modes if mode in row) > 0
    [total] = live_api.get(f"{path(live_api.courses[0])}/enrollment/").json()
    assert row["count"] == total["count"]


def test_activity_weeks_and_recent_activity(live_api: LiveApi) -> None:
    course = live_api.courses[0]
    [latest] = live_api.get(f"{path(course)}/activity/").json()
    assert DATETIME.match(latest["interval_start"]) and latest["any"] > 0
    weeks = live_api.get(
        f"{path(course)}/activity/", params={"start_date": "2024-03-04", "end_date": "2024-03-19"}
    )
    assert [week["interval_start"] for week in weeks.json()] == [
        "2024-03-04T000000",
        "2024-03-11T000000",
        "2024-03-18T000000",
    ]
    recent = live_api.get(f"{path(course)}/recent_activity/", params={"activity_type": "played_video"}).json()
    assert recent["activity_type"] == "played_video" and recent["count"] == latest["played_video"]
    # `label` is the original's legacy alias; `activity_type` wins when both are given.
    alias = live_api.get(f"{path(course)}/recent_activity/", params={"label": "played_video"}).json()
    assert alias == recent
    both = {"activity_type": "played_video", "label": "posted_forum"}
    assert live_api.get(f"{path(course)}/recent_activity/", params=both).json() == recent
    assert live_api.get(f"{path(course)}/recent_activity/").json()["count"] == latest["any"]


def test_problems_tags_videos_and_engagement(live_api: LiveApi) -> None:
    course = live_api.courses[0]
    problems = live_api.get(f"{path(course)}/problems/").json()
    assert problems and all(p["total_submissions"] >= p["correct_submissions"] for p in problems)
    assert all(p["part_ids"] for p in problems)
    tagged = live_api.get(f"{path(course)}/problems_and_tags/").json()
    assert {p["module_id"] for p in tagged} == {p["module_id"] for p in problems}
    assert any(p["tags"] for p in tagged) and any(not p["tags"] for p in tagged)
    videos = live_api.get(f"{path(course)}/videos/").json()
    assert videos and all(v["pipeline_video_id"].startswith(course + "|") for v in videos)
    ranges = live_api.get(f"{path(course)}/user_engagement/").json()
    assert {r["range_type"] for r in ranges} == {"low", "normal", "high"}

    answers = live_api.get(f"problems/{problems[0]['module_id']}/answer_distribution/").json()
    assert sum(a["last_response_count"] for a in answers) == problems[0]["users"]
    timeline = live_api.get(f"videos/{quote(videos[0]['pipeline_video_id'], safe='/:+')}/timeline/").json()
    assert timeline[0]["num_users"] >= 1 and all(DATETIME.match(t["created"]) for t in timeline)


def test_course_summaries_and_totals(live_api: LiveApi) -> None:
    summaries = live_api.get("course_summaries/").json()
    assert sorted(s["course_id"] for s in summaries) == live_api.courses
    first = next(s for s in summaries if s["course_id"] == live_api.courses[0])
    assert first["count"] == sum(mode["count"] for mode in first["enrollment_modes"].values())
    chosen = live_api.get(
        "course_summaries/", params={"course_ids": live_api.courses[0], "fields": "course_id,count"}
    ).json()
    assert chosen == [{"course_id": live_api.courses[0], "count": first["count"]}]
    posted = live_api.post(
        "course_summaries/", {"course_ids": live_api.courses[:2], "exclude": "enrollment_modes"}
    )
    assert len(posted.json()) == 2 and "enrollment_modes" not in posted.json()[0]
    totals = live_api.get("course_totals/").json()
    assert totals["count"] == sum(s["count"] for s in summaries)


def test_csv_follows_the_fields_and_flattens(live_api: LiveApi) -> None:
    course = live_api.courses[0]
    by_header = live_api.get(f"{path(course)}/enrollment/mode/", headers={"Accept": "text/csv"})
    assert by_header.headers["Content-Type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(by_header.text)))
    assert row["date"] == LAST_DAY and int(row["count"]) > 0
    summaries = live_api.get(
        "course_summaries/", params={"format": "csv", "fields": "count,course_id,enrollment_modes"}
    )
    reader = csv.reader(io.StringIO(summaries.text))
    header = next(reader)
    assert header[:2] == ["count", "course_id"] and "enrollment_modes.audit.count" in header


def test_bad_parameters_are_400_with_a_json_body(live_api: LiveApi) -> None:
    course = live_api.courses[0]
    cases = [
        ("courses/not-a-course/enrollment/", {}, "course_id"),
        (f"{path(course)}/enrollment/", {"start_date": "2024-13-01"}, "start_date"),
        (f"{path(course)}/enrollment/", {"start_date": "2024-03-10", "end_date": "2024-03-10"}, "end_date"),
        (f"{path(course)}/recent_activity/", {"activity_type": "sleeping"}, "activity_type"),
        (f"{path(course)}/recent_activity/", {"label": "sleeping"}, "label"),
        ("course_summaries/", {"fields": "count,secret"}, "fields"),
        ("course_summaries/", {"course_ids": "nope"}, "course_id"),
        ("problems/not-a-block/answer_distribution/", {}, "module_id"),
        ("videos/no-separator/timeline/", {}, "video_id"),
    ]
    for url, params, field in cases:
        response = live_api.get(url, params=params)
        assert response.status_code == 400, (url, response.status_code, response.text)
        assert field in response.json(), (url, response.json())


def test_empty_results_are_empty_lists(live_api: LiveApi) -> None:
    for endpoint in ("enrollment/", "enrollment/mode/", "activity/", "problems/", "videos/"):
        response = live_api.get(f"courses/course-v1:No+Such+Course/{endpoint}")
        assert response.status_code == 200 and response.json() == [], endpoint


def test_a_token_reads_only_its_courses(live_api: LiveApi) -> None:
    mine, other = live_api.courses[0], live_api.courses[1]
    assert live_api.get(f"{path(mine)}/enrollment/", token="one").status_code == 200
    for endpoint in ("enrollment/", "activity/", "problems/", "videos/", "user_engagement/"):
        assert live_api.get(f"{path(other)}/{endpoint}", token="one").status_code == 404, endpoint
    summaries = live_api.get("course_summaries/", token="one").json()
    assert [s["course_id"] for s in summaries] == [mine]
    asked = live_api.get("course_summaries/", token="one", params={"course_ids": f"{mine},{other}"}).json()
    assert [s["course_id"] for s in asked] == [mine]
    their_problem = live_api.get(f"{path(other)}/problems/").json()[0]["module_id"]
    assert live_api.get(f"problems/{their_problem}/answer_distribution/", token="one").status_code == 404
    their_video = live_api.get(f"{path(other)}/videos/").json()[0]["pipeline_video_id"]
    assert live_api.get(f"videos/{quote(their_video, safe='/:+')}/timeline/", token="one").status_code == 404
    assert live_api.get("course_totals/", token="one").json()["count"] == summaries[0]["count"]
    assert live_api.get(f"{path(mine)}/enrollment/", token="").status_code == 401


def test_status_health_and_schema(live_api: LiveApi) -> None:
    assert live_api.get("status", token="").status_code == 200
    assert live_api.get("health", token="").json()["overall_status"] == "OK"
    assert live_api.get("authenticated", token="").status_code == 401
    assert live_api.get("authenticated").status_code == 200
    root = live_api.url.removesuffix("/api/v0")
    openapi = requests.get(f"{root}/api/schema/", params={"format": "json"}, timeout=30)
    assert openapi.status_code == 200 and "/api/v0/course_summaries/" in openapi.json()["paths"]
    docs = requests.get(f"{root}/api/docs/", timeout=30)
    assert docs.status_code == 200 and "cdn" not in docs.text.lower()
    # Its scripts come from the installed sidecar package, served by the same server.
    scripts = re.findall(r'src="(/static/[^"]+\.js)"', docs.text)
    assert scripts and all(requests.get(root + script, timeout=30).status_code == 200 for script in scripts)


def test_every_endpoint_answers_csv(live_api: LiveApi) -> None:
    course = live_api.courses[0]
    problem = live_api.get(f"{path(course)}/problems/").json()[0]["module_id"]
    video = live_api.get(f"{path(course)}/videos/").json()[0]["pipeline_video_id"]
    endpoints = [
        *(
            f"{path(course)}/{name}/"
            for name in (
                "enrollment",
                "enrollment/mode",
                "activity",
                "recent_activity",
                "problems",
                "problems_and_tags",
                "videos",
                "user_engagement",
            )
        ),
        f"problems/{problem}/answer_distribution/",
        f"videos/{quote(video, safe='/:+')}/timeline/",
        "course_summaries/",
        "course_totals/",
    ]
    for endpoint in endpoints:
        as_json = live_api.get(endpoint).json()
        response = live_api.get(endpoint, params={"format": "csv"})
        assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv"), (
            endpoint
        )
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert len(rows) == (len(as_json) if isinstance(as_json, list) else 1), endpoint
