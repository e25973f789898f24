"""`course_summaries/`'s catalog fields, under the original's names, and its availability and
pacing_type filters, on every result-store backend."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import quote

import pytest
import requests

from edinsights.config import Settings
from tests.api.conftest import DAYS, START, LiveApi

LAST_DAY = START + timedelta(days=DAYS - 1)
"""The last simulated day, the last computed one (test_the_last_day_is_the_last_computed checks it)."""

PACING = {"instructor": "instructor_paced", "self": "self_paced"}


def catalog(live_api: LiveApi) -> dict[str, dict[str, Any]]:
    """Each simulated course's catalog entry as the structure import stored it (courses.parquet)."""
    from edinsights.structure.storage import StructureStore

    store = StructureStore(Settings.load(live_api.home).store_path)
    return {course: store.rows("courses", course)[0] for course in live_api.courses}


def api_datetime(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%dT%H%M%S")


def availability(entry: dict[str, Any]) -> str:
    # The end of the last computed day, naive UTC as the Parquet holds it.
    moment = datetime.combine(LAST_DAY + timedelta(days=1), time(0))
    start, end = (
        None if v is None else v.replace(tzinfo=None) for v in (entry["start_date"], entry["end_date"])
    )
    if end is not None and end < moment:
        return "Archived"
    if start is not None and start <= moment:
        return "Current"
    return "Upcoming"


def ids(response: requests.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return sorted(summary["course_id"] for summary in response.json())


def test_the_last_day_is_the_last_computed(live_api: LiveApi) -> None:
    days = live_api.get(f"courses/{quote(live_api.courses[0], safe='/:+')}/enrollment/").json()
    assert days[-1]["date"] == LAST_DAY.isoformat()


def test_the_catalog_fields_are_the_imported_catalog(live_api: LiveApi) -> None:
    entries = catalog(live_api)
    summaries = {s["course_id"]: s for s in live_api.get("course_summaries/").json()}
    assert set(summaries) == set(entries)
    for course, entry in entries.items():
        summary = summaries[course]
        assert "start_time" not in summary and "end_time" not in summary
        assert {key: summary[key] for key in ("catalog_course_title", "catalog_course", "pacing_type")} == {
            "catalog_course_title": entry["name"],
            "catalog_course": f"{entry['org']}+{entry['number']}",
            "pacing_type": PACING[entry["pacing"]],
        }
        assert summary["start_date"] == api_datetime(entry["start_date"])
        assert summary["end_date"] == api_datetime(entry["end_date"])
        assert summary["availability"] == availability(entry), course
    chosen = live_api.get("course_summaries/", params={"fields": "course_id,start_date,end_date"}).json()
    assert all(list(summary) == ["course_id", "start_date", "end_date"] for summary in chosen)


@pytest.mark.parametrize(
    ("availabilities", "pacing"),
    [
        (["Current"], []),
        (["Archived", "Upcoming"], []),
        (["unknown"], []),
        ([], ["self_paced"]),
        ([], ["instructor_paced", "self_paced"]),
        (["Current", "Archived"], ["instructor_paced"]),
    ],
)
def test_the_filters_or_within_and_and_across(
    live_api: LiveApi, availabilities: list[str], pacing: list[str]
) -> None:
    entries = catalog(live_api)
    expected = sorted(
        course
        for course, entry in entries.items()
        if (not availabilities or availability(entry) in availabilities)
        and (not pacing or PACING[entry["pacing"]] in pacing)
    )
    params = {
        name: ",".join(values)
        for name, values in (("availability", availabilities), ("pacing_type", pacing))
        if values
    }
    assert ids(live_api.get("course_summaries/", params=params)) == expected
    # A POST body takes lists, as for course_ids.
    body = {
        name: values for name, values in (("availability", availabilities), ("pacing_type", pacing)) if values
    }
    posted = requests.post(
        f"{live_api.url}/course_summaries/",
        data=json.dumps(body),
        headers={"Authorization": f"Token {live_api.tokens['all']}", "Content-Type": "application/json"},
        timeout=30,
    )
    assert ids(posted) == expected


def test_the_filters_keep_to_readable_courses(live_api: LiveApi) -> None:
    mine = live_api.courses[0]
    listed = live_api.get(
        "course_summaries/", token="one", params={"pacing_type": "instructor_paced,self_paced"}
    )
    assert ids(listed) == [mine]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"availability": "Soon"}, "availability"),
        ({"availability": "current"}, "availability"),
        ({"pacing_type": "instructor"}, "pacing_type"),
        ({"fields": "start_time"}, "fields"),
    ],
)
def test_bad_filter_values_are_400(live_api: LiveApi, params: dict[str, str], field: str) -> None:
    response = live_api.get("course_summaries/", params=params)
    assert response.status_code == 400 and field in response.json(), response.text


def test_the_schema_lists_the_filters(live_api: LiveApi) -> None:
    root = live_api.url.removesuffix("/api/v0")
    schema = requests.get(f"{root}/api/schema/", params={"format": "json"}, timeout=30)
    operation = schema.json()["paths"]["/api/v0/course_summaries/"]["get"]
    assert {"availability", "pacing_type"} <= {parameter["name"] for parameter in operation["parameters"]}
