"""The simulator: realistic, deterministic logs whose ground truth matches the logs themselves."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from collections import defaultdict
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from opaque_keys.edx.keys import CourseKey

from edinsights.config import Settings
from edinsights.demo.dataset import generate, learners_for_events
from edinsights.demo.simulate import SimulationConfig
from edinsights.events.store import EventStore
from tests.conftest import run_ingest

CONFIG = SimulationConfig(seed=7, courses=4, learners=400, days=24, start=date(2024, 3, 1), dirt=0.02)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("sim")
    generate(CONFIG, out)
    return out, json.loads((out / "ground_truth.json").read_text())


def read_lines(logs: Path) -> list[bytes]:
    lines = []
    for path in sorted(logs.glob("tracking.log-*.gz")):
        lines.extend(gzip.decompress(path.read_bytes()).split(b"\n")[:-1])
    return lines


def test_logs_ingest_with_only_the_deliberate_dirt_rejected(dataset, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out, truth = dataset
    store = EventStore(Settings.load(tmp_path / "home").store_path)
    summary = run_ingest(store, out / "logs", workers=2)
    dirt = truth["dirt"]
    assert summary.rejected == {
        reason: dirt[reason]
        for reason in ("empty", "not_json", "truncated", "missing_time", "missing_event_type")
        if dirt.get(reason)
    }
    assert summary.invalid_course_ids == dirt["invalid_course"]
    assert summary.duplicates_skipped == dirt["duplicate_lines"]
    assert summary.events_stored == truth["events"] + dirt["invalid_course"]
    assert summary.damaged_files == [] and summary.failed_files == []
    assert dirt["syslog_prefix"] > 0 and dirt["logger_prefix"] > 0


def independent_counts(logs: Path) -> dict[tuple[str, str], dict[str, object]]:
    """Count per course and day straight from the log text, with json, not with edinsights."""
    counts: dict[tuple[str, str], dict[str, object]] = defaultdict(
        lambda: {
            "enrollments": 0,
            "unenrollments": 0,
            "mode_changes": 0,
            "video_views": 0,
            "problem_attempts": 0,
            "forum_posts": 0,
            "active": set(),
            "played_video": set(),
            "attempted_problem": set(),
            "posted_forum": set(),
        }
    )
    seen = set()
    for raw in read_lines(logs):
        start = raw.find(b"{")
        if start < 0:
            continue
        text = raw[start:]
        try:
            event = json.loads(text)
        except ValueError:
            continue
        if "time" not in event or "event_type" not in event or text in seen:
            continue
        seen.add(text)
        course = event["context"].get("course_id", "")
        if not course.startswith(("course-v1:", "ccx-v1:")) and course.count("/") != 2:
            continue
        if " " in course:
            continue
        day = datetime.fromisoformat(event["time"]).date().isoformat()
        entry = counts[(course, day)]
        kind = event["event_type"]
        user = event["context"]["user_id"]
        if kind.startswith("edx.course.enrollment."):
            entry[
                {"activated": "enrollments", "deactivated": "unenrollments", "mode_changed": "mode_changes"}[
                    kind.rsplit(".", 1)[1]
                ]
            ] += 1
            continue
        entry["active"].add(user)
        if kind == "play_video":
            entry["video_views"] += 1
            entry["played_video"].add(user)
        if kind == "problem_check" and event["event_source"] == "server":
            entry["problem_attempts"] += 1
            entry["attempted_problem"].add(user)
        if kind.startswith("edx.forum.") and kind.endswith(".created"):
            entry["forum_posts"] += 1
            entry["posted_forum"].add(user)
    return counts


def test_ground_truth_agrees_with_independent_counts(dataset) -> None:  # type: ignore[no-untyped-def]
    out, truth = dataset
    counted = independent_counts(out / "logs")
    keys = ("enrollments", "unenrollments", "mode_changes", "video_views", "problem_attempts", "forum_posts")
    checked = 0
    for row in truth["daily"]:
        entry = counted.get((row["course_id"], row["date"]))
        if entry is None:
            assert all(row[key] == 0 for key in keys) and row["active"] == 0
            continue
        for key in keys:
            assert row[key] == entry[key], (row["course_id"], row["date"], key)
        for key in ("active", "played_video", "attempted_problem", "posted_forum"):
            assert row[key] == len(entry[key]), (row["course_id"], row["date"], key)
        checked += 1
    assert checked > CONFIG.days  # most course-days have activity
    assert sum(row["enrollments"] for row in truth["daily"]) > 0
    assert sum(row["mode_changes"] for row in truth["daily"]) > 0
    assert sum(row["unenrollments"] for row in truth["daily"]) > 0


def test_weekly_truth_counts_distinct_learners(dataset) -> None:  # type: ignore[no-untyped-def]
    out, truth = dataset
    counted = independent_counts(out / "logs")
    weekly: dict[tuple[str, str], set] = defaultdict(set)
    for (course, day), entry in counted.items():
        monday = date.fromisoformat(day) - timedelta(days=date.fromisoformat(day).weekday())
        weekly[(course, monday.isoformat())] |= entry["active"]
    for row in truth["weekly"]:
        assert row["active"] == len(weekly[(row["course_id"], row["week_start"])])


def test_courses_structure_and_sources(dataset) -> None:  # type: ignore[no-untyped-def]
    out, truth = dataset
    courses = {row["course_id"] for row in truth["daily"]}
    for key in courses:
        CourseKey.from_string(key)
    assert any(key.startswith("course-v1:") for key in courses)
    assert any(key.count("/") == 2 for key in courses)
    assert any(key.startswith("ccx-v1:") for key in courses)
    sources, types, video_codes, ips = set(), set(), set(), set()
    for raw in read_lines(out / "logs")[:20000]:
        try:
            event = json.loads(raw[raw.find(b"{") :])
        except ValueError:
            continue
        sources.add(event.get("event_source"))
        types.add(event.get("event_type"))
        ips.add(event.get("ip", "").split(".")[0])
        if event.get("event_type") == "play_video" and event.get("event_source") == "browser":
            assert isinstance(event["event"], str)  # browser payloads are JSON-encoded strings
            video_codes.add(json.loads(event["event"])["code"])
    assert {"browser", "server", "mobile"} <= sources
    assert {
        "play_video",
        "pause_video",
        "seek_video",
        "problem_check",
        "edx.course.enrollment.activated",
    } <= types
    assert "html5" in video_codes and len(video_codes) > 2  # YouTube ids too
    assert len(ips) > 20


def file_hashes(directory: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(directory.glob("*.gz"))
    }


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    small = SimulationConfig(seed=3, courses=3, learners=60, days=5)
    generate(small, tmp_path / "a")
    generate(small, tmp_path / "b")
    generate(SimulationConfig(seed=4, courses=3, learners=60, days=5), tmp_path / "c")
    assert file_hashes(tmp_path / "a" / "logs") == file_hashes(tmp_path / "b" / "logs")
    assert file_hashes(tmp_path / "a" / "logs") != file_hashes(tmp_path / "c" / "logs")
    assert (tmp_path / "a" / "ground_truth.json").read_text() == (
        tmp_path / "b" / "ground_truth.json"
    ).read_text()


def test_target_event_count() -> None:
    config = SimulationConfig(seed=5, courses=3, learners=1, days=30)
    learners = learners_for_events(config, 60_000)
    from edinsights.demo.simulate import Simulator

    config.learners = learners
    events = Simulator(config).run(None).events
    assert 0.75 * 60_000 < events < 1.25 * 60_000


@pytest.mark.slow
def test_demo_no_serve_runs_and_reruns_fast(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "edinsights",
        "--home",
        str(tmp_path / "home"),
        "demo",
        "--no-serve",
        "--learners",
        "150",
        "--days",
        "10",
    ]
    wide = {**os.environ, "COLUMNS": "200"}
    first = subprocess.run(command, capture_output=True, text=True, check=True, env=wide)
    assert "generated" in first.stdout and "events stored" in first.stdout
    second = subprocess.run(command, capture_output=True, text=True, check=True, env=wide)
    assert "reusing" in second.stdout
    assert "0 files read, 10 unchanged; 0 events stored" in second.stdout
    # The Data API token is printed, and stays the same across runs.
    tokens = [re.search(r"Authorization: Token ([0-9a-f]{64})\b", run.stdout) for run in (first, second)]
    assert tokens[0] and tokens[1] and tokens[0].group(1) == tokens[1].group(1)
    kept = tmp_path / "home" / "demo" / "api-token"  # beside the demo's password, private
    assert kept.read_text() == tokens[0].group(1) and stat.S_IMODE(kept.stat().st_mode) == 0o600
    # Each demo's compute is recorded as a finished run, so no page says a compute is unfinished.
    with closing(sqlite3.connect(tmp_path / "home" / "results.sqlite3")) as results:
        runs = results.execute("SELECT finished IS NOT NULL FROM edinsights_compute_run").fetchall()
    assert runs == [(1,), (1,)]


def test_output_does_not_depend_on_the_number_of_processes(tmp_path: Path) -> None:
    from edinsights.demo.simulate import Simulator

    config = SimulationConfig(seed=9, courses=3, learners=80, days=6)
    for name, processes in (("one", 1), ("three", 3)):
        (tmp_path / name).mkdir()
        Simulator(config).run(tmp_path / name, processes=processes)
    assert file_hashes(tmp_path / "one") == file_hashes(tmp_path / "three")
    assert len(file_hashes(tmp_path / "one")) == 6


def _demo(home: Path, *arguments: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "edinsights", "--home", str(home), "demo", "--no-serve", "--days", "6"]
    return subprocess.run(
        [*command, *arguments], capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}
    )


@pytest.mark.slow
def test_demo_with_another_size_replaces_the_data_set_and_its_events(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _demo(home, "--learners", "60").returncode == 0
    second = _demo(home, "--learners", "90")
    assert second.returncode == 0 and "generated" in second.stdout
    truth = json.loads((home / "demo" / "ground_truth.json").read_text())
    store = EventStore(Settings.load(home).store_path)
    stored = sum(entry.events_stored for entry in store.manifest.entries().values())
    assert stored == truth["events"] + truth["dirt"]["invalid_course"]


def test_demo_refuses_to_replace_a_store_with_other_logs(tmp_path: Path) -> None:
    from tests.conftest import event_line, write_log

    home = tmp_path / "home"
    assert _demo(home, "--learners", "40").returncode == 0
    run_ingest(EventStore(Settings.load(home).store_path), write_log(tmp_path / "mine.log", [event_line()]))
    refused = _demo(home, "--learners", "50")
    assert refused.returncode == 1
    assert "also holds other logs" in refused.stderr and "Traceback" not in refused.stderr


def test_forum_events_refer_to_earlier_posts_as_the_lms_logs_them(dataset) -> None:  # type: ignore[no-untyped-def]
    """Responses name an earlier thread of their course (`discussion.id`, its topic), comments an
    earlier response (`response.id`); the daily forum truth equals counts from the log text."""
    out, truth = dataset
    posts: dict[str, tuple[str, str, str]] = {}  # id -> (course, time, topic)
    counted: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    seen = set()
    events = []
    for raw in read_lines(out / "logs"):
        text = raw[raw.find(b"{") :]
        try:
            event = json.loads(text)
        except ValueError:
            continue
        kind = event.get("event_type", "")
        if not kind.startswith("edx.forum.") or "time" not in event or text in seen:
            continue
        seen.add(text)
        events.append(event)
    events.sort(key=lambda event: event["time"])
    links = 0
    for event in events:
        course, payload, kind = event["context"]["course_id"], event["event"], event["event_type"]
        day = event["time"][:10]
        if " " in course:  # the invalid-course dirt
            continue
        post_type, action = kind.split(".")[2:4]
        if action == "created":
            counted[(course, day)][f"forum_{post_type}s"] += 1
            assert payload["id"] and payload["commentable_id"] and payload["truncated"] is False
            if post_type != "thread":
                thread = posts[payload["discussion"]["id"]]
                assert (
                    thread[0] == course
                    and thread[1] < event["time"]
                    and thread[2] == payload["commentable_id"]
                )
                links += 1
            if post_type == "comment":
                assert posts[payload["response"]["id"]][1] < event["time"]
            posts[payload["id"]] = (course, event["time"], payload["commentable_id"])
        else:
            assert payload["vote_value"] == "up" and isinstance(payload["undo_vote"], bool)
            counted[(course, day)]["forum_vote_undos" if payload["undo_vote"] else "forum_votes"] += 1
    assert links > 10
    keys = ("forum_threads", "forum_responses", "forum_comments", "forum_votes", "forum_vote_undos")
    for row in truth["daily"]:
        assert {key: row[key] for key in keys} == {
            key: counted[(row["course_id"], row["date"])][key] for key in keys
        }, (row["course_id"], row["date"])
    weekly = {(row["course_id"], row["week_start"]): row for row in truth["forum_weekly"]}
    assert sum(row["threads"] for row in weekly.values()) == sum(r["forum_threads"] for r in truth["daily"])
    assert (
        0
        < sum(row["unanswered_threads"] for row in weekly.values())
        < sum(row["threads"] for row in weekly.values())
    )
