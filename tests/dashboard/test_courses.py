"""The Courses page: tiles, search, filters, sort, pagination and a CSV that honours them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.dashboard.conftest import Dashboard, summary_row
from tests.dashboard.test_pages import rows

EXTRA = 30


@pytest.fixture
def many_courses(dashboard: Dashboard) -> Iterator[list[str]]:
    """30 more courses (summary rows only; audit or verified, titled), removed afterwards."""
    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment

    extra = [f"course-v1:Extra+C{number:02d}+2024" for number in range(EXTRA)]
    CourseMetaSummaryEnrollment.objects.bulk_create(
        summary_row(
            course,
            "verified" if number % 2 else "audit",
            100 + number,
            change=number,
            catalog_course_title=f"Extra course {number:02d}",
            availability="Current" if number % 3 else "Archived",
        )
        for number, course in enumerate(extra)
    )
    try:
        yield extra
    finally:
        CourseMetaSummaryEnrollment.objects.filter(course_id__in=extra).delete()


def test_tiles_sum_the_courses_summaries(dashboard: Dashboard) -> None:
    staff = dashboard.client("staff")
    totals = staff.get("/api/v0/course_totals/").json()
    html = staff.get("/courses/").content.decode()
    assert re.search(rf"<strong>{totals['count']:,}</strong> <span>Enrolled learners", html)
    assert re.search(rf"<strong>{totals['count_change_7_days']:,}</strong> <span>Change, last 7 days", html)
    active = sum(
        staff.get(f"/api/v0/courses/{course}/recent_activity/").json()["count"]
        for course in dashboard.courses
    )
    assert re.search(rf"<strong>{active:,}</strong> <span>Active learners last week", html)
    assert "3 courses" in html


def test_csv_lists_every_course_with_the_apis_numbers(dashboard: Dashboard) -> None:
    staff = dashboard.client("staff")
    summaries = {item["course_id"]: item for item in staff.get("/api/v0/course_summaries/").json()}
    listed = rows(staff.get("/courses/?format=csv"))
    assert {row["course_id"] for row in listed} == set(summaries) == set(dashboard.courses)
    for row in listed:
        summary = summaries[row["course_id"]]
        assert int(row["enrollment"]) == summary["count"]
        assert int(row["change"]) == summary["count_change_7_days"]
        assert int(row["verified"]) == summary["verified_enrollment"]


def test_search_filter_sort_and_page_together(dashboard: Dashboard, many_courses: list[str]) -> None:
    staff = dashboard.client("staff")
    filters = {"q": "extra course", "availability": "Current", "mode": "verified", "sort": "-enrollment"}
    page = staff.get("/courses/", {**filters, "per_page": 10})
    html = page.content.decode()
    # Odd numbers (verified) not divisible by 3 (Current): 1, 5, 7, 11, 13, 17, 19, 23, 25, 29.
    expected = [n for n in range(EXTRA) if n % 2 and n % 3]
    assert "10 courses" in html
    shown = re.findall(r"Extra course (\d\d)</a>", html)
    assert [int(n) for n in shown] == sorted(expected, reverse=True)
    assert 'aria-sort="descending"' in html
    # The CSV holds exactly the filtered courses, in the same order, not only the page.
    listed = rows(staff.get("/courses/", {**filters, "per_page": 10, "format": "csv"}))
    assert [row["title"] for row in listed] == [
        f"Extra course {n:02d}" for n in sorted(expected, reverse=True)
    ]


def test_pagination_walks_every_course_once(dashboard: Dashboard, many_courses: list[str]) -> None:
    staff = dashboard.client("staff")
    seen: list[str] = []
    query = "?per_page=10&sort=course_id"
    while query is not None:
        html = staff.get("/courses/" + query.replace("&amp;", "&")).content.decode()
        seen += re.findall(r'<span class="meta">((?:course-v1|ccx-v1|MITx)[^<]+)</span>', html)
        following = re.search(r'<a href="(\?[^"]+)" rel="next">', html)
        query = following.group(1) if following else None
    assert seen == sorted(dashboard.courses + many_courses)
    assert staff.get("/courses/?per_page=10&page=5").status_code == 400


def test_csv_download_link_keeps_the_filters(dashboard: Dashboard) -> None:
    html = dashboard.client("staff").get("/courses/?q=DATA&sort=-active").content.decode()
    assert 'href="?q=DATA&amp;sort=-active&amp;format=csv" download' in html


@pytest.mark.parametrize(
    "query",
    ["sort=colour", "page=0", "page=two", "per_page=7", "per_page=-1"],
)
def test_bad_parameters_are_400_with_a_message(dashboard: Dashboard, query: str) -> None:
    response = dashboard.client("staff").get(f"/courses/?{query}")
    assert response.status_code == 400
    assert re.search(r'<p role="alert">\w[^<]{10,}</p>', response.content.decode())


def test_no_match_and_no_course_have_helpful_empty_states(dashboard: Dashboard) -> None:
    html = dashboard.client("staff").get("/courses/?q=no-such-course").content.decode()
    assert "No course matches these filters." in html and "<canvas" not in html
    html = dashboard.client("nobody").get("/courses/").content.decode()
    assert "ask an administrator to grant them to you" in html
    assert rows(dashboard.client("nobody").get("/courses/?format=csv")) == []


def test_professional_includes_no_id_professional(dashboard: Dashboard) -> None:
    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment

    course = "course-v1:edX+NoId+2024"
    summary_row(course, "no-id-professional", 3).save()
    try:
        staff = dashboard.client("staff")
        listed = rows(staff.get("/courses/", {"mode": "professional", "format": "csv"}))
        assert course in [row["course_id"] for row in listed]
        html = staff.get("/courses/").content.decode()
        assert html.count('<option value="professional"') == 1 and "no-id-professional" not in html
    finally:
        CourseMetaSummaryEnrollment.objects.filter(course_id=course).delete()
