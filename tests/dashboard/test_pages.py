"""Every dashboard page against the Data API: the same course, the same numbers.

The API's numbers are tested against the simulator's ground truth (tests/api); here each page's
CSV download (built from the same rows as its table and chart) must agree with them.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from html import unescape

import pytest

from tests.dashboard.conftest import Dashboard

EVERYTHING = "?start_date=2000-01-01&end_date=2100-01-01"
PAGES = (
    "",
    "enrollment/activity/",
    "engagement/content/",
    "engagement/videos/",
    "engagement/learners/",
    "performance/problems/",
    "performance/tags/",
)


def rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def links(html: str, below: str) -> list[str]:
    return [unescape(link) for link in re.findall(rf'href="({re.escape(below)}[^"?]+/)"', html)]


@pytest.fixture(scope="module")
def staff(dashboard: Dashboard):  # type: ignore[no-untyped-def]
    return dashboard.client("staff")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_its_chart_table_and_download(dashboard: Dashboard, staff, page: str) -> None:  # type: ignore[no-untyped-def]
    for course in dashboard.courses:
        response = staff.get(f"/courses/{course}/{page}")
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-chart="chart-0"' in html and 'id="chart-0" type="application/json"' in html
        assert "<caption>" in html and '<th scope="col"' in html
        assert "Data last updated" in html and 'href="?format=csv"' in html
        assert 'aria-current="page"' in html and 'class="skip" href="#main"' in html
        assert "vendor/chart.js/dist/chart.umd.min.js" in html
        assert rows(staff.get(f"/courses/{course}/{page}?format=csv"))


def test_enrollment_matches_the_api(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    for course in dashboard.courses:
        api = staff.get(f"/api/v0/courses/{course}/enrollment/mode/{EVERYTHING}").json()
        page = rows(staff.get(f"/courses/{course}/enrollment/activity/?format=csv"))
        assert [(row["date"], int(row["total"])) for row in page] == [
            (day["date"], day["count"]) for day in api
        ]
        assert [int(row.get("verified") or 0) for row in page] == [day["verified"] for day in api]
        html = staff.get(f"/courses/{course}/enrollment/activity/").content.decode()
        assert re.search(rf"<strong>{api[-1]['count']:,}</strong> <span>Total enrollment", html)
        last = date.fromisoformat(api[-1]["date"])
        earlier = [day["count"] for day in api if date.fromisoformat(day["date"]) <= last - timedelta(days=7)]
        change = api[-1]["count"] - (earlier[-1] if earlier else 0)
        assert re.search(rf"<strong>{change:,}</strong> <span>Change in last 7 days", html)
        assert re.search(rf"<strong>{api[-1]['verified']:,}</strong> <span>Verified enrollment", html)


def test_engagement_content_matches_the_api(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    for course in dashboard.courses:
        api = staff.get(f"/api/v0/courses/{course}/activity/{EVERYTHING}").json()
        page = rows(staff.get(f"/courses/{course}/engagement/content/?format=csv"))
        assert len(page) == len(api) > 0
        for week, expected in zip(page, api, strict=True):
            assert week["week"] == expected["interval_start"][:10]
            for key in ("any", "attempted_problem", "played_video", "posted_forum"):
                column = "active" if key == "any" else key
                assert int(week[column]) == (expected[key] or 0)  # null: nobody that week


def test_videos_and_timelines_match_the_api(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    for course in dashboard.courses:
        api = {
            video["encoded_module_id"]: video
            for video in staff.get(f"/api/v0/courses/{course}/videos/").json()
        }
        page = rows(staff.get(f"/courses/{course}/engagement/videos/?format=csv"))
        assert {row["video"] for row in page} == set(api)
        for row in page:
            video = api[row["video"]]
            assert int(row["users_at_start"]) == video["users_at_start"]
            assert int(row["users_at_end"]) == video["users_at_end"]
            assert int(row["duration"]) == video["duration"]
        html = staff.get(f"/courses/{course}/engagement/videos/").content.decode()
        video_pages = links(html, f"/courses/{course}/engagement/videos/")
        assert len(video_pages) == len(api)
        for url in video_pages[:3]:
            block = url.rstrip("/").rsplit("/", 1)[1]
            timeline = staff.get(f"/api/v0/videos/{course}|{block}/timeline/").json()
            segments = rows(staff.get(url + "?format=csv"))
            assert [(int(s["num_users"]), int(s["num_views"])) for s in segments] == [
                (t["num_users"], t["num_views"]) for t in timeline
            ]
            assert "Learners at start" in staff.get(url).content.decode()


def test_problems_and_answer_distributions_match_the_api(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    for course in dashboard.courses:
        api = {
            problem["module_id"]: problem
            for problem in staff.get(f"/api/v0/courses/{course}/problems/").json()
        }
        page = rows(staff.get(f"/courses/{course}/performance/problems/?format=csv"))
        assert {row["module_id"] for row in page} == set(api)
        for row in page:
            problem = api[row["module_id"]]
            assert int(row["total_submissions"]) == problem["total_submissions"]
            assert int(row["correct_submissions"]) == problem["correct_submissions"]
            assert int(row["users"]) == problem["users"]
        html = staff.get(f"/courses/{course}/performance/problems/").content.decode()
        for url in links(html, f"/courses/{course}/performance/problems/")[:4]:
            module = url.split("/performance/problems/", 1)[1].rstrip("/")
            distribution = staff.get(f"/api/v0/problems/{module}/answer_distribution/").json()
            answers = rows(staff.get(url + "?format=csv"))
            assert sorted(
                (a["part_id"], int(a["first_response_count"]), int(a["last_response_count"]), int(a["count"]))
                for a in answers
            ) == sorted(
                (d["part_id"], d["first_response_count"], d["last_response_count"], d["count"])
                for d in distribution
            )
            detail = staff.get(url).content.decode()
            # One chart per part, and every correct answer marked in the table.
            parts = {d["part_id"] for d in distribution}
            assert detail.count('data-chart="chart-') == len(parts)
            assert detail.count("<td>Yes</td>") == sum(1 for d in distribution if d["correct"])


def test_tags_sum_the_tag_distribution(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    for course in dashboard.courses:
        api = staff.get(f"/api/v0/courses/{course}/problems_and_tags/").json()
        expected: dict[tuple[str, str], list[int]] = {}
        for problem in api:
            for name, values in problem["tags"].items():
                for value in values:
                    totals = expected.setdefault((name, value), [0, 0, 0])
                    totals[0] += 1
                    totals[1] += problem["total_submissions"]
                    totals[2] += problem["correct_submissions"]
        page = rows(staff.get(f"/courses/{course}/performance/tags/?format=csv"))
        assert (
            expected
            and {
                (row["tag_name"], row["tag_value"]): [
                    int(row["problems"]),
                    int(row["total_submissions"]),
                    int(row["correct_submissions"]),
                ]
                for row in page
            }
            == expected
        )


def test_learner_ranges_match_the_api(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    for course in dashboard.courses:
        api = staff.get(f"/api/v0/courses/{course}/user_engagement/").json()
        page = rows(staff.get(f"/courses/{course}/engagement/learners/?format=csv"))
        assert len(page) * 3 == len(api) > 0
        by_label = {row["metric"]: row for row in page}
        labels = {"problem_attempts": "Problem attempts", "videos_viewed": "Videos viewed"}
        for item in api:
            if item["metric"] in labels:
                row = by_label[labels[item["metric"]]]
                assert float(row[f"{item['range_type']}_low"]) == pytest.approx(item["low_value"])
                assert float(row[f"{item['range_type']}_high"]) == pytest.approx(item["high_value"])


def test_course_home_links_into_every_area(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    course = dashboard.courses[-1]
    summary = staff.get("/api/v0/course_summaries/", {"course_ids": course}).json()[0]
    html = staff.get(f"/courses/{course}/").content.decode()
    assert re.search(rf"<strong>{summary['count']:,}</strong> <span>Enrolled learners", html)
    for page in PAGES[1:]:
        assert f'href="/courses/{course}/{page}"' in html


def test_last_updated_is_the_pipelines_bookkeeping(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    from django.db.models import Max

    from edinsights.results.models import MetricRun

    finished = MetricRun.objects.filter(metric="video").aggregate(last=Max("finished"))["last"]
    html = staff.get(f"/courses/{dashboard.courses[0]}/engagement/videos/").content.decode()
    assert f'<time datetime="{finished.isoformat()}">{finished:%Y-%m-%d %H:%M} UTC</time>' in html
