"""The LMS client against the stand-in LMS: the OAuth2 client-credentials flow, the three APIs,
pagination, retries, expired tokens, 404 courses; and the simulator's courses imported from the
LMS and from their OLX exports giving identical tables."""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from edinsights.cli import main
from edinsights.demo.export import as_the_lms_answers, course_structure, olx_course_id, write_olx
from edinsights.demo.structure import make_courses
from edinsights.structure.importer import import_lms, import_olx
from edinsights.structure.lms import LmsClient, LmsError
from edinsights.structure.olx import read_olx
from edinsights.structure.storage import TABLES, StructureStore
from edinsights.testing.lms import StandInLms
from tests.structure import olx_fixture
from tests.structure.olx_fixture import COURSE_ID

# Starts a stand-in LMS (an HTTP server on loopback).
pytestmark = pytest.mark.live

CLIENT_ID, CLIENT_SECRET = "edinsights-structure", "structure-secret"


@pytest.fixture(scope="module")
def simulated() -> list:  # type: ignore[type-arg]
    """Five simulated courses: course-v1 ones, an old-style (i4x) one and a CCX."""
    return [course_structure(c) for c in make_courses(5, date(2024, 3, 1), 60, random.Random(7))]


@pytest.fixture
def lms(simulated, tmp_path: Path) -> Iterator[StandInLms]:  # type: ignore[no-untyped-def]
    fixture = read_olx(olx_fixture.write_directory(tmp_path / "fixture"))
    structures = [as_the_lms_answers(s) for s in [*simulated, fixture]]
    with StandInLms.of_structures(
        structures, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
    ).serving() as lms:
        yield lms


def client(lms: StandInLms, secret: str = CLIENT_SECRET) -> LmsClient:
    return LmsClient(lms.url, CLIENT_ID, secret, sleep=lambda seconds: None)


def stored_tables(store: StructureStore) -> dict[str, dict[str, list[dict]]]:
    return {table: {c: store.rows(table, c) for c in store.course_ids()} for table in TABLES}


def test_the_client_credentials_flow_gives_a_jwt_sent_as_jwt(lms: StandInLms) -> None:
    with client(lms) as lms_client:
        token = lms_client.token()
        header, claims, _signature = token.split(".")
        assert json.loads(base64.urlsafe_b64decode(header + "==")) == {"alg": "HS256", "typ": "JWT"}
        assert json.loads(base64.urlsafe_b64decode(claims + "=="))["sub"] == CLIENT_ID
        courses = list(lms_client.courses())
    assert lms.requests[0] == ("POST", "/oauth2/access_token")
    assert len(courses) == 6


def test_a_refused_client_is_one_line(lms: StandInLms) -> None:
    with client(lms, secret="wrong") as lms_client, pytest.raises(LmsError) as raised:
        lms_client.token()
    assert str(raised.value) == f"LMS {lms.url}: the token endpoint refused client '{CLIENT_ID}' (HTTP 401)"


def test_the_courses_list_is_followed_page_by_page(lms: StandInLms) -> None:
    with client(lms) as lms_client:
        ids = [entry["id"] for entry in lms_client.courses(page_size=2)]
    assert len(ids) == len(set(ids)) == 6
    assert sum(1 for request in lms.requests if request[1] == "/api/courses/v1/courses/") == 3


def test_an_import_reads_every_course(lms: StandInLms, simulated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = StructureStore(tmp_path / "store")
    with client(lms) as lms_client:
        summary = import_lms(store, lms_client)
    assert sorted(summary.courses) == sorted([*(s.course_id for s in simulated), COURSE_ID])
    assert summary.skipped == []
    assert summary.blocks == sum(len(s.blocks) for s in simulated) + len(olx_fixture.EXPECTED_ORDER)
    old_style = next(s for s in simulated if "/" in s.course_id)
    assert store.blocks(old_style.course_id)[0]["block_id"].startswith("i4x://")
    paths = {"/api/courses/v2/blocks/", "/api/grades/v1/policy/courses/"}
    assert {
        path if path in paths else path[: len("/api/grades/v1/policy/courses/")] for _, path in lms.requests
    } >= paths


def test_a_404_course_is_skipped_and_reported(lms: StandInLms, simulated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gone = simulated[0].course_id
    documents = lms.documents
    lms.documents = lambda course_id: None if course_id == gone else documents(course_id)
    store = StructureStore(tmp_path / "store")
    with client(lms) as lms_client:
        summary = import_lms(store, lms_client)
    assert gone not in summary.courses and len(summary.courses) == 5
    assert summary.skipped == [{"course_id": gone, "reason": "HTTP 404 at /api/courses/v2/blocks/"}]
    assert gone not in store.course_ids()


def test_only_the_courses_asked_for(lms: StandInLms, simulated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = StructureStore(tmp_path / "store")
    with client(lms) as lms_client:
        summary = import_lms(store, lms_client, [simulated[1].course_id, "course-v1:No+Such+Course"])
    assert summary.courses == [simulated[1].course_id]
    assert summary.skipped == [
        {"course_id": "course-v1:No+Such+Course", "reason": "not in the LMS's course list"}
    ]


def test_a_token_expiring_during_the_import_is_renewed_once(lms: StandInLms, tmp_path: Path) -> None:
    store = StructureStore(tmp_path / "store")
    with client(lms) as lms_client:
        lms_client.token()
        lms.expire_tokens()
        summary = import_lms(store, lms_client, workers=1)
    assert len(summary.courses) == 6
    assert lms.requests.count(("POST", "/oauth2/access_token")) == 2  # the import's own and one renewal


def test_a_token_refused_even_when_new_is_one_line(lms: StandInLms, tmp_path: Path) -> None:
    lms.fail("/api/courses/v1/courses/", [401, 401])
    store = StructureStore(tmp_path / "store")
    with client(lms) as lms_client, pytest.raises(LmsError) as raised:
        import_lms(store, lms_client)
    assert str(raised.value) == (
        f"LMS {lms.url}: /api/courses/v1/courses/: the token was refused (HTTP 401) even when new"
    )
    assert store.course_ids() == []


def test_passing_failures_are_retried_and_lasting_ones_name_the_course(
    lms: StandInLms, tmp_path: Path
) -> None:
    store = StructureStore(tmp_path / "store")
    lms.fail("/api/courses/v2/blocks/", [503, 502])
    with client(lms) as lms_client:
        assert len(import_lms(store, lms_client, workers=1).courses) == 6
    first = store.current()
    lms.fail("/api/courses/v2/blocks/", [500, 500, 500])
    with (
        client(lms) as lms_client,
        pytest.raises(LmsError, match=r"course-v1:.*: /api/courses/v2/blocks/ answered HTTP 500"),
    ):
        import_lms(store, lms_client, workers=1)
    assert store.current() == first  # the failed import left the previous structure in use


def test_an_unreachable_lms_is_one_line(tmp_path: Path) -> None:
    from edinsights.testing import free_port

    url = f"http://127.0.0.1:{free_port()}"
    with (
        LmsClient(url, "a", "b", sleep=lambda seconds: None) as lms_client,
        pytest.raises(LmsError) as raised,
    ):
        import_lms(StructureStore(tmp_path / "store"), lms_client)
    assert str(raised.value).startswith(f"LMS {url}: unreachable (ConnectError")
    assert "\n" not in str(raised.value)


def test_the_command_reads_the_lms_from_the_configuration(lms: StandInLms, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / "edinsights.toml").write_text(
        f'[lms]\nurl = "{lms.url}/"\nclient_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\n'
    )
    result = CliRunner().invoke(
        main, ["--home", str(home), "import", "structure", "--lms-url", lms.url, "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["course_count"] == 6
    result = CliRunner().invoke(main, ["--home", str(home), "import", "structure"])
    assert result.exit_code == 0 and "courses imported" in result.output
    wrong = CliRunner().invoke(main, ["--home", str(home), "import", "structure", "--client-secret", "nope"])
    assert wrong.exit_code == 1 and "refused client" in wrong.output


def test_the_lms_and_the_olx_exports_give_identical_tables(
    lms: StandInLms, simulated, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from_lms = StructureStore(tmp_path / "lms")
    with client(lms) as lms_client:
        import_lms(from_lms, lms_client, [s.course_id for s in simulated])
    from_olx = StructureStore(tmp_path / "olx")
    for index, structure in enumerate(simulated):
        export = write_olx(structure, tmp_path / "exports" / f"course{index}.tar.gz")
        import_olx(from_olx, [export], olx_course_id(structure))
    lms_tables, olx_tables = stored_tables(from_lms), stored_tables(from_olx)
    assert lms_tables == olx_tables
    blocks = [row for rows in lms_tables["blocks"].values() for row in rows]
    assert len(lms_tables["blocks"]) == 5 and len(blocks) > 300
    # What the tables hold is worth comparing: graded problems with a due date, every type.
    assert any(row["graded"] and row["due"] and row["block_type"] == "problem" for row in blocks)
    assert {row["block_type"] for row in blocks} == {
        "course",
        "chapter",
        "sequential",
        "vertical",
        "video",
        "problem",
    }
    assert all(row["course_path"] for row in blocks if not row["is_root"])
