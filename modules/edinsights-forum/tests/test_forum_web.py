"""The module installed: in modules(), the API (and its schema), the navigation, the pages and
their CSVs, for hostile topic ids, and only for readers of the course."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from edinsights.testing import published
from forum_lines import COURSE, HOUR, response, thread, vote

MONDAY = datetime(2024, 3, 4, 10, 0, tzinfo=UTC)
HOSTILE = [
    "<script>alert(1)</script>",
    "\"quoted' topic",
    "a/b",
    "..",
    "../up",
    "=cmd|' /C calc'!A0",
    "@SUM(1)",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def hostile_lines() -> list[str]:
    found = []
    for number, topic in enumerate(HOSTILE):
        # Busier topics first: topic n has len(HOSTILE) - n threads.
        for repeat in range(len(HOSTILE) - number):
            at = MONDAY + (number * 10 + repeat) * HOUR
            found.append(thread(at, f"{topic}#{repeat}", topic, user=number + 1))
        found.append(response(MONDAY + (number * 10 + 5) * HOUR, f"r{number}", f"{topic}#0", topic, user=20))
        found.append(vote(MONDAY + (number * 10 + 6) * HOUR, "thread", f"{topic}#0", topic, user=21))
    # Data up to ten days later (another course's): every thread's 48 hours have passed.
    found.append(vote(MONDAY + 240 * HOUR, "thread", "x", "x", course="course-v1:edX+Later+2024"))
    return found


@pytest.fixture(scope="module")
def forum_course(django_home, tmp_path_factory: pytest.TempPathFactory) -> str:  # type: ignore[no-untyped-def]
    """The hostile course's forum results, published into the default result store."""
    root = tmp_path_factory.mktemp("forum-web")
    for metric in ("forum_activity_weekly", "forum_topic_weekly"):
        published(root / metric, hostile_lines(), metric, "default")
    return COURSE


def test_the_module_is_found_with_its_parts(django_home) -> None:  # type: ignore[no-untyped-def]
    from django.core import checks
    from edinsights.metrics.registry import metrics
    from edinsights.modules import load_errors, modules, navigation

    forum = next(module for module in modules() if module.name == "forum")
    assert forum.app == "edinsights_forum"
    assert {"forum_activity_weekly", "forum_topic_weekly"} <= set(metrics())
    assert [entry.key for entry in navigation() if entry.key == "engagement-forum"] == ["engagement-forum"]
    assert [model._meta.db_table for model in forum.result_models()] == [
        "forum_activity_weekly",
        "forum_topic_weekly",
    ]
    assert all(Path(doc).is_file() for doc in forum.docs)
    assert not load_errors()
    problems = [message for message in checks.run_checks() if message.id.startswith("edinsights.")]
    assert problems == []


def test_the_api_serves_weeks_and_topics(forum_course: str, api_client) -> None:  # type: ignore[no-untyped-def]
    client = api_client("forum-reader", [forum_course])
    weeks = client.get(f"/api/v0/courses/{forum_course}/forum/").json()
    assert [
        (week["interval_start"], week["threads"], week["responses"], week["votes"]) for week in weeks
    ] == [("2024-03-04T000000", 28, 7, 7)]
    assert weeks[0]["unanswered_threads"] == 21  # every thread but the answered #0 ones
    topics = client.get(f"/api/v0/courses/{forum_course}/forum/topics/").json()
    assert [topic["commentable_id"] for topic in topics] == HOSTILE  # busiest first
    assert topics[0] == {
        "commentable_id": HOSTILE[0],
        "topic_name": None,
        "posts": 8,
        "threads": 7,
        "responses": 1,
        "comments": 0,
        "votes": 1,
    }
    assert client.get(f"/api/v0/courses/{forum_course}/forum/?start_date=2024-03-11").json() == []
    assert client.get(f"/api/v0/courses/{forum_course}/forum/?start_date=2024-03-04").json() == weeks
    assert client.get(f"/api/v0/courses/{forum_course}/forum/?start_date=tomorrow").status_code == 400
    assert client.get("/api/v0/courses/not a course/forum/").status_code == 400
    # The API's CSV neutralises ids a spreadsheet would run.
    text = client.get(f"/api/v0/courses/{forum_course}/forum/topics/?format=csv").content.decode()
    cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
    assert {"'=cmd|' /C calc'!A0", "'@SUM(1)", "<script>alert(1)</script>"} <= cells
    assert_no_formula(text)


def test_the_schema_lists_the_endpoints(django_home) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get_or_create(username="forum-staff", is_staff=True)[0])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert {"/api/v0/courses/{course_id}/forum/", "/api/v0/courses/{course_id}/forum/topics/"} <= set(
        schema["paths"]
    )


def test_the_pages_escape_hostile_topics(forum_course: str, dashboard_client) -> None:  # type: ignore[no-untyped-def]
    client = dashboard_client("forum-viewer", [forum_course])
    home = client.get(f"/courses/{forum_course}/").content.decode()
    assert f'href="/courses/{forum_course}/engagement/discussions/"' in home  # the navigation
    for path in ("engagement/discussions/", "engagement/discussions/topics/"):
        page = client.get(f"/courses/{forum_course}/{path}")
        assert page.status_code == 200
        text = page.content.decode()
        assert "<script>alert(1)</script>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert "&quot;quoted&#x27; topic" in text
    topics = client.get(f"/courses/{forum_course}/engagement/discussions/topics/?format=csv")
    rows = list(csv.DictReader(io.StringIO(topics.content.decode())))
    assert [row["topic"] for row in rows] == [
        "'" + topic if topic.startswith(FORMULA_STARTS) else topic for topic in HOSTILE
    ]
    assert [row["posts"] for row in rows] == ["8", "7", "6", "5", "4", "3", "2"]
    weekly = client.get(f"/courses/{forum_course}/engagement/discussions/?format=csv").content.decode()
    assert weekly.splitlines()[0] == "week,threads,responses,comments,votes,posters,unanswered_threads"


def test_another_courses_reader_gets_404(forum_course: str, api_client, dashboard_client) -> None:  # type: ignore[no-untyped-def]
    api = api_client("forum-outsider", ["course-v1:edX+Elsewhere+2024"])
    page = dashboard_client("forum-outsider-page", ["course-v1:edX+Elsewhere+2024"])
    for path in ("forum/", "forum/topics/"):
        assert api.get(f"/api/v0/courses/{forum_course}/{path}").status_code == 404
        assert api.get(f"/api/v0/courses/{forum_course}/{path}?format=csv").status_code == 404
    for path in ("engagement/discussions/", "engagement/discussions/topics/"):
        for suffix in ("", "?format=csv"):
            assert page.get(f"/courses/{forum_course}/{path}{suffix}").status_code == 404


def assert_no_formula(text: str) -> None:
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
