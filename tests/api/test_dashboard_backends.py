"""The dashboard over a live server on SQLite, MariaDB and PostgreSQL: its grouped, sorted and
filtered queries run on each result-store backend and agree with the Data API there."""

from __future__ import annotations

import csv
import io
import re

import pytest
import requests

from tests.api.conftest import LiveApi, edinsights
from tests.dashboard.test_pages import PAGES

# A live `edinsights serve` per backend, MariaDB and PostgreSQL among them.
pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def signed_in(live_api: LiveApi) -> tuple[requests.Session, str]:
    """A browser-like session signed in through the sign-in form as a staff account."""
    password = "a long test password"
    edinsights(
        live_api.home, live_api.results_db, "user", "create", "viewer", "--staff", "--password-stdin",
        stdin=password + "\n",
    )  # fmt: skip
    base = live_api.url.removesuffix("/api/v0")
    session = requests.Session()
    form = session.get(f"{base}/accounts/login/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    answer = session.post(
        f"{base}/accounts/login/",
        data={"username": "viewer", "password": password, "csrfmiddlewaretoken": token, "next": "/courses/"},
        timeout=30,
    )
    assert answer.url.endswith("/courses/"), answer.url
    return session, base


def csv_rows(response: requests.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text[:300]
    return list(csv.DictReader(io.StringIO(response.text)))


def test_courses_list_sorts_filters_and_agrees_with_the_api(live_api: LiveApi, signed_in) -> None:  # type: ignore[no-untyped-def]
    session, base = signed_in
    summaries = {item["course_id"]: item for item in live_api.get("course_summaries/").json()}
    for sort in ("title", "-enrollment", "-active", "change", "-start_time"):
        listed = csv_rows(session.get(f"{base}/courses/", params={"sort": sort, "format": "csv"}, timeout=30))
        assert {row["course_id"] for row in listed} == set(summaries)
        key = sort.lstrip("-")
        values = [row[key] for row in listed]
        if key in ("enrollment", "active", "change"):
            numbers = [int(value) for value in values]
            assert numbers == sorted(numbers, reverse=sort.startswith("-")), sort
        for row in listed:
            assert int(row["enrollment"]) == summaries[row["course_id"]]["count"]
    page = session.get(f"{base}/courses/", params={"q": live_api.courses[0][-6:], "per_page": 10}, timeout=30)
    assert page.status_code == 200 and live_api.courses[0] in page.text


def test_every_course_page_and_csv_answers(live_api: LiveApi, signed_in) -> None:  # type: ignore[no-untyped-def]
    session, base = signed_in
    for course in live_api.courses:
        for page in PAGES:
            response = session.get(f"{base}/courses/{course}/{page}", timeout=30)
            assert response.status_code == 200, (course, page)
            assert 'id="chart-0"' in response.text
            download = session.get(f"{base}/courses/{course}/{page}", params={"format": "csv"}, timeout=30)
            assert csv_rows(download)
        days = live_api.get(f"courses/{course}/enrollment/", params={"start_date": "2000-01-01"}).json()
        enrollment = csv_rows(
            session.get(f"{base}/courses/{course}/enrollment/activity/", params={"format": "csv"}, timeout=30)
        )
        assert [(row["date"], int(row["total"])) for row in enrollment] == [
            (day["date"], day["count"]) for day in days
        ]
