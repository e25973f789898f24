"""The course catalog: the course summaries' catalog columns come from the imported structure,
and the Courses list, the course home and the page titles show them; the Availability and
Pacing filters narrow the list."""

from __future__ import annotations

import html as html_module
import itertools
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.conftest import Dashboard, summary_row
from tests.dashboard.test_pages import rows

PACING = {"instructor": "instructor_paced", "self": "self_paced"}
STATUS = {"Current": "In Progress", "Archived": "Ended", "Upcoming": "Not Started Yet"}


def utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def imported(dashboard: Dashboard, course: str) -> dict[str, Any]:
    """The course's catalog entry as the structure import stored it (its courses.parquet)."""
    from edinsights.structure.storage import StructureStore

    assert dashboard.store is not None
    (entry,) = StructureStore(dashboard.store).rows("courses", course)
    return entry


def as_of() -> datetime:
    """The end of the last computed day: the last day the enrollment results hold, plus one."""
    from django.db.models import Max

    from edinsights.families.enrollment.models import CourseEnrollmentDaily

    last = CourseEnrollmentDaily.objects.aggregate(last=Max("date"))["last"]
    return datetime.combine(last + timedelta(days=1), time(0), tzinfo=UTC)


def availability(start: datetime | None, end: datetime | None, moment: datetime) -> str:
    if end is not None and end < moment:
        return "Archived"
    if start is not None and start <= moment:
        return "Current"
    return "Upcoming"


def test_the_summary_carries_the_imported_catalog(dashboard: Dashboard) -> None:
    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment

    moment = as_of()
    for course in dashboard.courses:
        entry = imported(dashboard, course)
        summaries = CourseMetaSummaryEnrollment.objects.filter(course_id=course)
        assert summaries.exists()
        catalog = set(
            summaries.values_list(
                "catalog_course_title",
                "catalog_course",
                "start_time",
                "end_time",
                "pacing_type",
                "availability",
            )
        )
        assert catalog == {
            (
                entry["name"],
                f"{entry['org']}+{entry['number']}",
                utc(entry["start_date"]),
                utc(entry["end_date"]),
                PACING[entry["pacing"]],
                availability(utc(entry["start_date"]), utc(entry["end_date"]), moment),
            )
        }, course


def test_the_metric_reads_the_structure(dashboard: Dashboard) -> None:
    from edinsights.families.enrollment.metrics import COURSE_SUMMARY

    # Listed, a structure import makes the summary stale; whole-table, as structure readers are.
    assert "structure_courses" in COURSE_SUMMARY.inputs and COURSE_SUMMARY.date_column is None


def test_the_list_shows_names_ids_dates_and_pacing(dashboard: Dashboard) -> None:
    html = dashboard.client("staff").get("/courses/").content.decode()
    for course in dashboard.courses:
        entry = imported(dashboard, course)
        name, shown_id = html_module.escape(entry["name"]), html_module.escape(course)
        # The name links to the course home; the id is beneath it, in the same cell.
        cell = re.search(rf'<th scope="row"><a href="[^"]+">{re.escape(name)}</a><br>(.*?)</th>', html)
        assert cell and cell.group(1) == f'<span class="meta">{shown_id}</span>', course
        row = html[cell.end() : html.index("</tr>", cell.end())]
        pacing = "Self-paced" if entry["pacing"] == "self" else "Instructor-paced"
        assert re.findall(r"<td>([^<]*)</td>", row)[:3] == [
            entry["start_date"].strftime("%Y-%m-%d"),
            entry["end_date"].strftime("%Y-%m-%d"),
            pacing,
        ]


CATALOG_ROWS = list(
    itertools.product(
        ["Upcoming", "Current", "Archived", "Starting Soon", None], ["instructor_paced", "self_paced", None]
    )
)


@pytest.fixture
def catalog_courses(dashboard: Dashboard) -> Iterator[dict[str, tuple[str | None, str | None]]]:
    """One course per (stored availability, pacing) pair, "Starting Soon" and unknowns included."""
    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment

    made = {f"course-v1:Cat+C{number:02d}+2024": pair for number, pair in enumerate(CATALOG_ROWS)}
    CourseMetaSummaryEnrollment.objects.bulk_create(
        summary_row(
            course,
            "audit",
            10 + number,
            catalog_course_title=f"Catalog {number:02d}",
            availability=stored,
            pacing_type=pacing,
        )
        for number, (course, (stored, pacing)) in enumerate(made.items())
    )
    try:
        yield made
    finally:
        CourseMetaSummaryEnrollment.objects.filter(course_id__in=made).delete()


def selected(made: dict[str, tuple[str | None, str | None]], shown: set[str], pacing: set[str]) -> set[str]:
    """What the filters should keep, worked out here: OR within a group, AND across."""
    kept = set()
    for course, (stored, paced) in made.items():
        value = "Upcoming" if stored == "Starting Soon" else (stored or "unknown")
        if (not shown or value in shown) and (not pacing or paced in pacing):
            kept.add(course)
    return kept


@pytest.mark.parametrize(
    ("shown", "pacing"),
    [
        ({"Current"}, set()),
        ({"Upcoming"}, set()),
        ({"unknown"}, set()),
        ({"Current", "Archived"}, {"self_paced"}),
        (set(), {"instructor_paced", "self_paced"}),
        ({"Upcoming", "unknown"}, {"instructor_paced"}),
        (set(), set()),
    ],
)
def test_filters_or_within_a_group_and_across_groups(
    dashboard: Dashboard,
    catalog_courses: dict[str, tuple[str | None, str | None]],
    shown: set[str],
    pacing: set[str],
) -> None:
    staff = dashboard.client("staff")
    query = [
        ("q", "catalog "),
        *(("availability", v) for v in sorted(shown)),
        *(("pacing_type", v) for v in sorted(pacing)),
    ]
    expected = selected(catalog_courses, shown, pacing)
    listed = rows(staff.get("/courses/?" + "&".join(f"{k}={v}" for k, v in query) + "&format=csv"))
    assert {row["course_id"] for row in listed} == expected
    html = staff.get("/courses/?" + "&".join(f"{k}={v}" for k, v in query) + "&per_page=100").content.decode()
    assert f"{len(expected)} course" in html
    for value in shown | pacing:
        assert re.search(rf'value="{value}" checked', html), value
    # The links that sort and page keep the checked boxes.
    if shown:
        assert re.search(r'href="\?[^"]*availability=[^"]*format=csv"', html)


def test_the_csv_holds_the_stored_values(
    dashboard: Dashboard, catalog_courses: dict[str, tuple[str | None, str | None]]
) -> None:
    response = dashboard.client("staff").get("/courses/?q=catalog&format=csv")
    assert re.fullmatch(
        r'attachment; filename="\d{4}-\d\d-\d\dT\d{6}--course-list\.csv"', response["Content-Disposition"]
    )
    listed = {row["course_id"]: row for row in rows(response)}
    assert set(listed) == set(catalog_courses)
    for course, (stored, pacing) in catalog_courses.items():
        row = listed[course]
        assert row["availability"] == ("Upcoming" if stored == "Starting Soon" else stored or "")
        assert row["pacing_type"] == (pacing or "")


def test_the_csv_dates_are_the_catalogs(dashboard: Dashboard) -> None:
    listed = {row["course_id"]: row for row in rows(dashboard.client("staff").get("/courses/?format=csv"))}
    for course in dashboard.courses:
        entry = imported(dashboard, course)
        assert listed[course]["title"] == entry["name"]
        assert datetime.fromisoformat(listed[course]["start_time"]) == utc(entry["start_date"])
        assert datetime.fromisoformat(listed[course]["end_time"]) == utc(entry["end_date"])


@pytest.mark.parametrize(
    "query", ["availability=Soon", "availability=current", "pacing_type=fast", "availability=Current,Later"]
)
def test_a_bad_filter_value_is_a_400_saying_what_is_allowed(dashboard: Dashboard, query: str) -> None:
    response = dashboard.client("staff").get(f"/courses/?{query}")
    assert response.status_code == 400
    message = re.search(r'<p role="alert">([^<]+)</p>', response.content.decode())
    assert message and (
        "Upcoming, Current, Archived, unknown" in message.group(1) or "self_paced" in message.group(1)
    )


def test_the_course_home_has_basic_course_information(dashboard: Dashboard) -> None:
    moment = as_of()
    staff = dashboard.client("staff")
    for course in dashboard.courses:
        entry = imported(dashboard, course)
        html = staff.get(f"/courses/{course}/").content.decode()
        start, end = utc(entry["start_date"]), utc(entry["end_date"])
        status = STATUS[availability(start, end, moment)]
        assert "<h2>Basic Course Information</h2>" in html
        name, shown_id = html_module.escape(entry["name"]), html_module.escape(course)
        assert (
            f'<tr><th scope="row">{name}</th><td>{shown_id}</td>'
            f"<td>{start:%Y-%m-%d}</td><td>{end:%Y-%m-%d}</td><td>{status}</td></tr>"
        ) in html
        # The title hook names the course in the breadcrumbs and the page title.
        assert f"<title>Course home · {html_module.escape(entry['name'])} · edinsights</title>" in html
        # The home's CSV is still its chart's table, not the facts.
        listed = rows(staff.get(f"/courses/{course}/?format=csv"))
        assert listed and "status" not in listed[0]


@pytest.mark.parametrize(
    ("stored", "status"), [("Starting Soon", "Not Started Yet"), (None, "--"), ("Archived", "Ended")]
)
def test_the_status_follows_the_availability(dashboard: Dashboard, stored: str | None, status: str) -> None:
    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment

    course = "course-v1:Cat+Status+2024"
    summary_row(course, "audit", 4, availability=stored, catalog_course_title="Status").save()
    try:
        html = dashboard.client("staff").get(f"/courses/{course}/").content.decode()
        assert f"<td>{status}</td></tr>" in html
    finally:
        CourseMetaSummaryEnrollment.objects.filter(course_id=course).delete()


def test_no_catalog_entry_no_basic_course_information(dashboard: Dashboard) -> None:
    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment

    course = "course-v1:Cat+Bare+2024"
    summary_row(course, "audit", 4).save()
    try:
        html = dashboard.client("staff").get(f"/courses/{course}/").content.decode()
        assert "Basic Course Information" not in html and "Nothing to show yet" in html
        # Without a catalog title the pages name the course by its id.
        assert f"<title>Course home · {html_module.escape(course)} · edinsights</title>" in html
    finally:
        CourseMetaSummaryEnrollment.objects.filter(course_id=course).delete()


def test_hostile_titles_are_escaped(dashboard: Dashboard) -> None:
    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment

    course = "course-v1:Cat+Hostile+2024"
    title = '<img src=x onerror="alert(1)">&amp;'
    summary_row(course, "audit", 4, catalog_course_title=title).save()
    try:
        staff = dashboard.client("staff")
        for url in ("/courses/?q=Hostile", f"/courses/{course}/", f"/courses/{course}/enrollment/activity/"):
            html = staff.get(url).content.decode()
            assert "<img src=x" not in html and html_module.escape(title) in html, url
    finally:
        CourseMetaSummaryEnrollment.objects.filter(course_id=course).delete()


def test_the_sql_dates_availability_from_the_end_of_the_last_day() -> None:
    """course_summary.sql over hand-made inputs: each side of each boundary, and a course the
    structure does not list (NULL catalog columns)."""
    import duckdb

    from edinsights.families.enrollment import metrics
    from edinsights.metrics.registry import sql_beside

    assert "structure_courses" in metrics.COURSE_SUMMARY.sql
    day = datetime(2024, 3, 10)
    moment = day + timedelta(days=1)  # midnight after the last computed day
    second = timedelta(seconds=1)
    catalog = {
        "course-v1:T+Ended+1": (moment - timedelta(days=30), moment - second, "self"),
        "course-v1:T+EndsNow+1": (moment - timedelta(days=30), moment, "instructor"),
        "course-v1:T+StartsNow+1": (moment, None, "self"),
        "course-v1:T+Later+1": (moment + second, moment + timedelta(days=90), "instructor"),
        "course-v1:T+NoDates+1": (None, None, None),
    }
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute(
        "CREATE TABLE structure_courses (course_id VARCHAR, name VARCHAR, org VARCHAR, number VARCHAR,"
        " start_date TIMESTAMP, end_date TIMESTAMP, enrollment_start TIMESTAMP, enrollment_end TIMESTAMP,"
        " pacing VARCHAR)"
    )
    for course, (start, end, pacing) in catalog.items():
        number = course.split("+")[1]
        connection.execute(
            "INSERT INTO structure_courses VALUES (?, ?, 'T', ?, ?, ?, NULL, NULL, ?)",
            [course, f"Name {number}", number, start, end, pacing],
        )
    connection.execute(
        "CREATE TABLE mode_daily (course_id VARCHAR, date DATE, mode VARCHAR, count INTEGER,"
        " cumulative_count INTEGER)"
    )
    for course in [*catalog, "course-v1:T+Unlisted+1"]:
        connection.execute("INSERT INTO mode_daily VALUES (?, ?, 'audit', 3, 5)", [course, day.date()])
    result = connection.execute(sql_beside(metrics.__file__, "course_summary.sql"), {"date_to": day.date()})
    names = [column[0] for column in result.description]
    got = {row[0]: dict(zip(names, row, strict=True)) for row in result.fetchall()}
    for course, (start, end, pacing) in catalog.items():
        number = course.split("+")[1]
        assert got[course]["catalog_course_title"] == f"Name {number}"
        assert got[course]["catalog_course"] == f"T+{number}"
        assert got[course]["pacing_type"] == (PACING[pacing] if pacing else None)
        assert got[course]["availability"] == availability(start, end, moment), course
    assert [got[c]["availability"] for c in catalog] == [
        "Archived",
        "Current",
        "Current",
        "Upcoming",
        "Upcoming",
    ]
    unlisted = got["course-v1:T+Unlisted+1"]
    assert [unlisted[name] for name in names[1:7]] == [None] * 6
    assert unlisted["count"] == 3 and unlisted["cumulative_count"] == 5


@pytest.mark.parametrize("sort", ["pacing_type", "-pacing_type", "availability", "-availability"])
def test_the_catalog_columns_sort(
    dashboard: Dashboard, catalog_courses: dict[str, tuple[str | None, str | None]], sort: str
) -> None:
    staff = dashboard.client("staff")
    key = sort.lstrip("-")
    listed = rows(staff.get("/courses/", {"q": "catalog", "sort": sort, "format": "csv"}))
    stored = {
        course: dict(zip(("availability", "pacing_type"), pair, strict=True))
        for course, pair in catalog_courses.items()
    }
    values = [stored[row["course_id"]][key] for row in listed]
    known = [value for value in values if value is not None]
    # Unknowns last either way, as for the other columns.
    assert values == sorted(known, reverse=sort.startswith("-")) + [None] * (len(values) - len(known))
    html = staff.get("/courses/", {"sort": sort}).content.decode()
    assert re.search(rf'<th scope="col" aria-sort="(ascending|descending)"><a href="\?sort=-?{key}"', html)


@pytest.mark.slow
def test_a_structure_import_republishes_the_catalog(tmp_path: Path) -> None:
    """`edinsights run` after a new import of one course (renamed, pacing switched): the summary
    is published again with the new entry, the other course's unchanged; no new events needed."""
    import sqlite3
    import tarfile

    from edinsights.config import Settings
    from edinsights.demo.dataset import generate, import_structure_exports
    from edinsights.demo.simulate import SimulationConfig
    from edinsights.structure.importer import import_olx
    from edinsights.structure.storage import StructureStore

    sim = tmp_path / "sim"
    generate(SimulationConfig(seed=5, courses=2, learners=40, days=3, start=date(2024, 10, 1)), sim)
    home = tmp_path / "home"
    store_path = Settings.load(home).store_path
    import_structure_exports(store_path, sim)

    def run() -> dict[str, Any]:
        completed = subprocess.run(
            [sys.executable, "-m", "edinsights", "--home", str(home), "run", str(sim / "logs"), "--json"],
            capture_output=True,
            text=True,
        )
        assert completed.returncode == 0, completed.stderr
        return json.loads(completed.stdout)

    def catalog() -> dict[str, set[tuple[Any, ...]]]:
        with sqlite3.connect(home / "results.sqlite3") as connection:
            found: dict[str, set[tuple[Any, ...]]] = {}
            for course, *values in connection.execute(
                "SELECT course_id, catalog_course_title, pacing_type FROM course_meta_summary_enrollment"
            ):
                found.setdefault(course, set()).add(tuple(values))
            return found

    run()
    before = catalog()
    (tarball, course_id), *_ = json.loads((sim / "olx" / "course_ids.json").read_text()).items()
    unpacked = tmp_path / "renamed"
    with tarfile.open(sim / "olx" / tarball) as archive:
        archive.extractall(unpacked, filter="data")
    (policy,) = unpacked.rglob("policy.json")
    entries = json.loads(policy.read_text())
    (entry,) = entries.values()
    entry["display_name"] = "Renamed <course>"
    entry["self_paced"] = not entry.get("self_paced", False)
    policy.write_text(json.dumps(entries))
    summary = import_olx(StructureStore(store_path), [unpacked], course_id)
    (renamed,) = summary.courses

    again = run()
    assert "course_summary" in again["computed"]
    after = catalog()
    assert set(after) == set(before) and renamed in after
    (old_title, old_pacing), *_ = before[renamed]
    assert old_title != "Renamed <course>"
    flipped = "instructor_paced" if old_pacing == "self_paced" else "self_paced"
    assert after[renamed] == {("Renamed <course>", flipped)}
    assert all(after[course] == before[course] for course in before if course != renamed)
