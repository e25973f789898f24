"""Every dashboard page against the Data API: the same course, the same numbers.

The API's numbers are tested against the simulator's ground truth (tests/api); here each page's
CSV download (built from the same rows as its table and chart) must agree with them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from html import unescape
from urllib.parse import unquote

import pytest

from edinsights.dashboard.presentation import MISSING
from tests.dashboard.conftest import Dashboard, summary_row
from tests.metrics.test_engagement import INF, assert_tiles, metric_ranges

ENGAGEMENT_METRICS = {
    "problem_attempts": "Problem attempts",
    "problems_attempted": "Problems tried",
    "problems_completed": "Problems solved",
    "problem_attempts_per_completed": "Attempts per problem solved",
    "videos_viewed": "Videos viewed",
    "discussion_contributions": "Forum contributions",
}
"""The measures as the Learners page names them (English)."""

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
        # The structure is imported: sections → subsections → videos (tests/dashboard/test_video_levels).
        top = f"/courses/{course}/engagement/videos/"
        listed: dict[str, dict[str, str]] = {}
        video_pages: list[str] = []
        for section in rows(staff.get(top + "?format=csv")):
            for subsection in rows(staff.get(f"{top}{section['key']}/?format=csv")):
                url = f"{top}{section['key']}/{subsection['key']}/"
                videos = {row["key"]: row for row in rows(staff.get(url + "?format=csv"))}
                listed.update(videos)
                html = staff.get(url).content.decode()  # its links: the trail's, and the videos'
                video_pages += [link for link in links(html, top) if link[len(top) : -1] in videos]
        watched = {key for key, video in api.items() if max(video["users_at_start"], video["users_at_end"])}
        assert watched <= set(listed) and watched == {page.split("/")[-2] for page in video_pages}
        for key in watched:
            video = api[key]
            assert int(listed[key]["complete"]) == video["users_at_end"]
            assert int(listed[key]["incomplete"]) == max(video["users_at_start"] - video["users_at_end"], 0)
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
            # The link's last segment is the id percent-encoded twice (dashboard.urls.EventIdConverter).
            module = unquote(unquote(url.split("/performance/problems/", 1)[1].rstrip("/")))
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


def test_a_problem_page_shows_each_answer_once_and_its_csv_every_row(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    from edinsights.families.problems.models import AnswerDistribution
    from edinsights.metrics.registry import metrics

    course = next(course for course in dashboard.courses if course.startswith("course-v1:"))
    module = f"block-v1:{course.removeprefix('course-v1:')}+type@problem+block@colours"
    url = f"/courses/{course}/performance/problems/{module}/"
    # value_id, answer_value, correct, first, last, all: rows that read alike on the page.
    stored = [
        (None, "Blue", True, 1, 1, 2),  # typed, before the problem became a choice problem
        ("choice_1", "Blue", True, 2, 3, 4),
        (None, "5", False, 1, 0, 1),
        ("choice_5", "5", True, 0, 1, 1),
        ("choice_2", "<b>Red</b> & <i>", False, 1, 0, 1),  # learner-visible text is escaped
    ]
    AnswerDistribution.objects.bulk_create(
        AnswerDistribution(
            course_id=course,
            module_id=module,
            part_id="colours_2_1",
            value_id=value_id,
            answer_value=answer_value,
            correct=correct,
            first_response_count=first,
            last_response_count=last,
            count=count,
            problem_display_name="Colours",
            question_text="Which colour?",
            created=datetime(2024, 3, 18, tzinfo=UTC),
        )
        for value_id, answer_value, correct, first, last, count in stored
    )
    try:
        html = staff.get(url).content.decode()
        cells = r"<td>(.*?)</td>" + r'<td class="number">(.*?)</td>' * 3
        table = {
            unescape(answer): rest
            for answer, *rest in re.findall(rf'<th scope="row">(.*?)</th>{cells}', html)
        }
        assert table == {
            "Blue": ["Yes", "3", "4", "6"],
            "5": ["Yes and no", "1", "1", "2"],
            "<b>Red</b> & <i>": ["No", "1", "0", "1"],
        }
        assert "<b>Red" not in html
        chart = json.loads(re.search(r'id="chart-0" type="application/json">(.*?)</script>', html)[1])
        assert sorted(chart["labels"]) == ["5", "<b>Red</b> & <i>", "Blue (correct)"]
        # The download: every result row with every column.
        download = rows(staff.get(url + "?format=csv"))
        assert list(download[0]) == [*metrics()["answer_distribution"].result_columns(), "created"]
        counted = (
            "value_id",
            "answer_value",
            "correct",
            "first_response_count",
            "last_response_count",
            "count",
        )
        assert sorted(tuple(row[key] for key in counted) for row in download) == sorted(
            (value_id or "", answer_value, str(correct), str(first), str(last), str(count))
            for value_id, answer_value, correct, first, last, count in stored
        )
    finally:
        AnswerDistribution.objects.filter(module_id=module).delete()


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
        csv_rows = rows(staff.get(f"/courses/{course}/engagement/learners/?format=csv"))
        page = {row["metric"]: row for row in csv_rows}
        assert len(page) == 6 and len(api) >= 6
        for item in api:
            row = page[ENGAGEMENT_METRICS[item["metric"]]]
            for end in ("low", "high"):
                shown = row[f"{item['range_type']}_{end}"]  # empty: unbounded
                assert (float(shown) if shown else None) == pytest.approx(item[f"{end}_value"], abs=1e-4)
        for metric in ENGAGEMENT_METRICS:  # in the API's order: low, normal, high
            served = [item for item in api if item["metric"] == metric]
            assert_tiles([(item["range_type"], item["low_value"], item["high_value"]) for item in served])


# A course whose ranges come from the ranges SQL over known learner values: the original's
# examples, as the API serves them (null: unbounded) and as the Learners page words them.
DASH = "\N{EN DASH}"
KNOWN_RANGES = {
    "problem_attempts": ([1, 2, 3, 4, 5, 6, 7, 8], ("below 2.05", f"2.05 {DASH} 6.95", "6.95 and more")),
    "problem_attempts_per_completed": ([1, 2, 3, INF, INF], ("below 1.6", "1.6 and more", "unbounded")),
    "problems_completed": ([1, 0, 0, 0], (MISSING, "below 0.55", "0.55 and more")),
    "videos_viewed": ([0, 0, 0], (MISSING, "0 and more", MISSING)),
    "problems_attempted": ([INF], ("0 and more", "unbounded", MISSING)),
    "discussion_contributions": ([None, None], (MISSING, "0 and more", MISSING)),  # nobody counts
}


@pytest.fixture
def known_ranges(dashboard: Dashboard) -> Iterator[str]:
    from datetime import UTC, datetime

    from edinsights.families.engagement.models import ModuleEngagementMetricRanges
    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment

    course = "course-v1:edX+Ranges+2024"
    summary_row(course, "audit", 8).save()
    values = {(course, metric): learners for metric, (learners, _words) in KNOWN_RANGES.items()}
    created = datetime(2024, 3, 18, tzinfo=UTC)
    fields = ("course_id", "start_date", "end_date", "metric", "range_type", "low_value", "high_value")
    ModuleEngagementMetricRanges.objects.bulk_create(
        ModuleEngagementMetricRanges(**dict(zip(fields, row, strict=True)), created=created)
        for row in metric_ranges(values, date(2024, 3, 17))
    )
    try:
        yield course
    finally:
        CourseMetaSummaryEnrollment.objects.filter(course_id=course).delete()
        ModuleEngagementMetricRanges.objects.filter(course_id=course).delete()


def test_unbounded_ranges_are_null_in_the_api(dashboard: Dashboard, staff, known_ranges: str) -> None:  # type: ignore[no-untyped-def]
    api = staff.get(f"/api/v0/courses/{known_ranges}/user_engagement/").json()
    served = [(r["metric"], r["range_type"], r["low_value"], r["high_value"]) for r in api]
    assert served == [
        ("discussion_contributions", "normal", 0, None),
        ("problem_attempts", "low", 0, 2.05),
        ("problem_attempts", "normal", 2.05, 6.95),
        ("problem_attempts", "high", 6.95, None),
        ("problem_attempts_per_completed", "low", 0, 1.6),
        ("problem_attempts_per_completed", "normal", 1.6, None),
        ("problem_attempts_per_completed", "high", None, None),
        ("problems_attempted", "low", 0, None),
        ("problems_attempted", "normal", None, None),
        ("problems_completed", "normal", 0, 0.5499999999999998),
        ("problems_completed", "high", 0.5499999999999998, None),
        ("videos_viewed", "normal", 0, None),
    ]
    assert all(r["start_date"] == "2024-03-11" and r["end_date"] == "2024-03-18" for r in api)


def test_the_learners_page_words_each_range(dashboard: Dashboard, staff, known_ranges: str) -> None:  # type: ignore[no-untyped-def]
    html = staff.get(f"/courses/{known_ranges}/engagement/learners/").content.decode()
    for metric, (_values, words) in KNOWN_RANGES.items():
        cells = "".join(f"<td>{word}</td>" for word in words)
        assert f'<th scope="row">{ENGAGEMENT_METRICS[metric]}</th>{cells}' in html, metric
    assert f"(2024-03-11 {DASH} 2024-03-17)" in html


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
