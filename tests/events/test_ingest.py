"""Ingest behaviour: inputs, compression, damage, idempotence, de-duplication, quarantine."""

from __future__ import annotations

import bz2
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from edinsights.config import Settings
from edinsights.events import worker
from edinsights.events.store import EventStore
from tests.conftest import event_line, quarantined, run_ingest, stored_events, write_log


def lines_for(day: int, count: int, user: int = 1) -> list[str]:
    return [
        event_line(
            time=f"2024-01-{day:02d}T10:{i // 60 % 60:02d}:{i % 60:02d}.{user:06d}+00:00",
            username=f"user{user}",
            context={"course_id": "course-v1:edX+DemoX+2024", "user_id": user},
        )
        for i in range(count)
    ]


def test_plain_gzip_bzip2_and_rotated_names(store: EventStore, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    write_log(logs / "tracking.log", lines_for(1, 3, user=1))
    write_log(logs / "tracking.log-20240102.gz", lines_for(2, 4, user=2))
    (logs / "tracking.log-20240103.bz2").write_bytes(
        bz2.compress(("\n".join(lines_for(3, 5, user=3)) + "\n").encode())
    )
    # A gzip file whose name does not say so: the content decides.
    (logs / "tracking.log-20240104").write_bytes(gzip.compress(("\n".join(lines_for(4, 6, user=4))).encode()))
    summary = run_ingest(store, logs)
    assert summary.files_ingested == 4
    assert summary.events_stored == 3 + 4 + 5 + 6
    assert summary.lines_rejected == 0
    partitions = sorted(path.name for path in store.events_dir.iterdir())
    assert partitions == ["dt=2024-01-01", "dt=2024-01-02", "dt=2024-01-03", "dt=2024-01-04"]


def test_glob_and_multi_member_gzip(store: EventStore, tmp_path: Path) -> None:
    members = gzip.compress(("\n".join(lines_for(1, 2)) + "\n").encode()) + gzip.compress(
        ("\n".join(lines_for(1, 3, user=2)) + "\n").encode()
    )
    (tmp_path / "tracking.log-1.gz").write_bytes(members)
    write_log(tmp_path / "other.txt", lines_for(5, 1))
    summary = run_ingest(store, str(tmp_path / "tracking.log-*.gz"))
    assert summary.files_found == 1
    assert summary.events_stored == 5


def test_missing_path_is_an_error(store: EventStore, tmp_path: Path) -> None:
    from edinsights.events.sources import SourceError

    with pytest.raises(SourceError, match="no log files"):
        run_ingest(store, tmp_path / "nothing-here")


def test_truncated_gzip_keeps_complete_lines_and_reports_damage(store: EventStore, tmp_path: Path) -> None:
    lines = lines_for(1, 2000)
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    damaged = tmp_path / "tracking.log-20240101.gz"
    damaged.write_bytes(data[: len(data) * 2 // 3])
    summary = run_ingest(store, damaged)
    assert len(summary.damaged_files) == 1
    assert "ends early" in summary.damaged_files[0]["damage"]
    stored = stored_events(store)
    assert 0 < len(stored) < 2000
    # Every stored event is a whole line of the original, in order, with no gaps.
    assert [row["source_line"] for row in stored] == list(range(1, len(stored) + 1))
    # The partial line at the break is quarantined as truncated, never lost silently.
    assert summary.lines_read == summary.events_stored + summary.lines_rejected
    assert summary.rejected.get("truncated", 0) <= 1


def test_corrupt_gzip_data_is_reported(store: EventStore, tmp_path: Path) -> None:
    data = bytearray(gzip.compress(("\n".join(lines_for(1, 3000)) + "\n").encode()))
    middle = len(data) // 2
    data[middle : middle + 64] = b"\xff" * 64
    path = tmp_path / "bad.gz"
    path.write_bytes(bytes(data))
    summary = run_ingest(store, path)
    assert summary.damaged_files and "corrupt gzip" in summary.damaged_files[0]["damage"]
    assert summary.lines_read == summary.events_stored + summary.lines_rejected
    assert summary.events_stored > 0


def test_crlf_and_missing_final_newline(store: EventStore, tmp_path: Path) -> None:
    lines = lines_for(1, 3)
    path = tmp_path / "crlf.log"
    path.write_bytes("\r\n".join(lines).encode())
    summary = run_ingest(store, path)
    assert summary.events_stored == 3 and summary.lines_rejected == 0


def test_over_long_line_is_rejected_not_buffered(store: EventStore, tmp_path: Path, monkeypatch) -> None:
    from edinsights.events import lines as lines_module
    from edinsights.events import reader

    monkeypatch.setattr(reader, "MAX_LINE", 1000)
    monkeypatch.setattr(lines_module, "MAX_LINE", 1000)
    monkeypatch.setattr(
        worker, "split_lines", lambda data, first: lines_module.split_lines(data, first, 1000)
    )
    long_line = event_line(time="2024-01-01T00:00:00Z", agent="x" * 5000)
    path = write_log(tmp_path / "long.log", [*lines_for(1, 2), long_line, *lines_for(1, 2, user=2)])
    summary = run_ingest(store, path)
    assert summary.rejected == {"too_long": 1}
    assert summary.events_stored == 4
    [row] = quarantined(store)
    assert row["line_no"] == 3 and row["reason"] == "too_long"


def test_invalid_utf8_is_repaired_and_counted(store: EventStore, tmp_path: Path) -> None:
    good = event_line(time="2024-01-01T00:00:00Z", agent="Mozilla/5.0 caf\u00e9")
    bad = event_line(time="2024-01-01T00:00:01Z", agent="AGENT").replace("AGENT", "bad\xff\xfebytes")
    path = tmp_path / "mixed.log"
    path.write_bytes(good.encode() + b"\n" + bad.encode("latin-1") + b"\n")
    summary = run_ingest(store, path)
    assert summary.events_stored == 2
    assert summary.utf8_repaired == 1
    agents = [row["agent"] for row in stored_events(store)]
    assert agents == ["Mozilla/5.0 caf\u00e9", "bad\ufffd\ufffdbytes"]


def test_rerun_is_idempotent_and_skips_unchanged_files(store: EventStore, tmp_path: Path) -> None:
    path = write_log(tmp_path / "tracking.log-20240101.gz", lines_for(1, 50))
    first = run_ingest(store, path)
    second = run_ingest(store, path)
    assert first.events_stored == 50
    assert second.files_unchanged == 1 and second.files_ingested == 0 and second.events_stored == 0
    assert len(stored_events(store)) == 50


def test_same_events_in_two_files_are_stored_once(store: EventStore, tmp_path: Path) -> None:
    shared = lines_for(1, 30)
    first = write_log(tmp_path / "a" / "tracking.log", [*shared, *lines_for(1, 5, user=2)])
    # Re-shipped logs: the same events, here behind a syslog prefix, plus new ones.
    second = write_log(
        tmp_path / "b" / "tracking.log.gz",
        [f"Jan 01 10:00:00 lms-2 tracking: {line}" for line in shared] + lines_for(1, 7, user=3),
    )
    summary = run_ingest(store, first, second, workers=2)
    assert summary.events_stored == 30 + 5 + 7
    assert summary.duplicates_skipped == 30
    # Later run over an overlapping file: its old events are recognised in the store.
    third = write_log(tmp_path / "c" / "tracking.log", [*shared[:10], *lines_for(1, 4, user=4)])
    again = run_ingest(store, third)
    assert again.events_stored == 4 and again.duplicates_skipped == 10
    rows = stored_events(store)
    assert len(rows) == 46
    assert len({(row["time"], row["event_id"]) for row in rows}) == 46


def test_duplicate_lines_within_one_file(store: EventStore, tmp_path: Path) -> None:
    lines = lines_for(1, 5)
    path = write_log(tmp_path / "dup.log", [*lines, lines[0], lines[3]])
    summary = run_ingest(store, path)
    assert summary.events_stored == 5 and summary.duplicates_skipped == 2
    assert [row["source_line"] for row in stored_events(store)] == [1, 2, 3, 4, 5]


def test_grown_file_is_reingested_without_duplicates(store: EventStore, tmp_path: Path) -> None:
    path = write_log(tmp_path / "tracking.log", lines_for(1, 20))
    run_ingest(store, path)
    with path.open("a") as handle:
        handle.write("\n".join(lines_for(1, 8, user=9)) + "\n")
    os.utime(path, ns=(1, 2))  # a different mtime even on coarse file-system clocks
    summary = run_ingest(store, path)
    assert summary.files_ingested == 1
    assert summary.events_stored == 8 and summary.duplicates_skipped == 20
    assert len(stored_events(store)) == 28
    entry = store.manifest.entries()[str(path)]
    assert entry.lines_read == 28 and entry.size == path.stat().st_size


def test_summary_counts_every_line(store: EventStore, tmp_path: Path) -> None:
    lines = [*lines_for(1, 10), "", "garbage", '{"time": "2024-01-01T00:00:00Z"}', lines_for(1, 1)[0]]
    path = write_log(tmp_path / "mixed.log", lines)
    summary = run_ingest(store, path)
    assert summary.lines_read == 14
    assert summary.events_stored == 10
    assert summary.duplicates_skipped == 1
    assert summary.rejected == {"empty": 1, "not_json": 1, "missing_event_type": 1}
    assert summary.lines_read == summary.events_stored + summary.duplicates_skipped + summary.lines_rejected


def test_invalid_course_ids_are_counted(store: EventStore, tmp_path: Path) -> None:
    lines = [
        event_line(time="2024-01-01T00:00:00Z", context={"course_id": "course-v1:bad key", "user_id": 1}),
        event_line(
            time="2024-01-01T00:00:01Z", context={"course_id": "course-v1:edX+DemoX+2024", "user_id": 1}
        ),
        event_line(time="2024-01-01T00:00:02Z", context={"course_id": "junk", "user_id": 1}),
    ]
    summary = run_ingest(store, write_log(tmp_path / "t.log", lines))
    assert summary.invalid_course_ids == 2
    assert [row["course_id"] for row in stored_events(store)] == [None, "course-v1:edX+DemoX+2024", None]


def test_url_encoded_course_ids_are_counted_only_when_no_key_is_found(
    store: EventStore, tmp_path: Path
) -> None:
    course = "course-v1:edX+DemoX+2024"
    encoded = "course-v1%3AedX%2BDemoX%2B2024"
    page = f"https://lms.example.com/courses/{course}/courseware/"

    def line(second: int, context_course: str, **fields: object) -> str:
        context = {"course_id": context_course, "user_id": 1, "path": "/event"}
        return event_line(time=f"2024-01-01T00:00:{second:02d}Z", context=context, **fields)

    lines = [
        line(0, encoded),
        line(1, f"{encoded}%2Fcourseware", page=page),
        line(2, f"{encoded}%2Fcourseware"),
        line(3, "", event={"course_id": "course-v1:not+a key"}),
    ]
    summary = run_ingest(store, write_log(tmp_path / "t.log", lines))
    assert [row["course_id"] for row in stored_events(store)] == [course, course, None, None]
    assert summary.invalid_course_ids == 2


def test_other_formats_are_read_and_counted(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from edinsights.cli import main

    course = "course-v1:edX+DemoX+2024"
    tracker = {
        "name": "edx.test.tracker",
        "timestamp": "2024-01-01T11:00:00+00:00",
        "context": {"course_id": course, "user_id": 1, "username": "user1"},
        "data": {},
    }
    segment = {
        "type": "track",
        "messageId": "m-1",
        "userId": 1,
        "timestamp": "2024-01-01T11:00:01Z",
        "receivedAt": "2024-01-01T11:00:02Z",
        "properties": {"name": "edx.video.played", "data": {}, "context": {"course_id": course}},
    }
    lines = [
        *lines_for(1, 2),
        json.dumps(tracker),
        json.dumps(tracker),
        json.dumps(segment),
        json.dumps({**segment, "messageId": "m-2", "type": "screen"}),
        json.dumps({"event_type": "edx.test.event", "event": {}}),
    ]
    path = write_log(tmp_path / "tracking.log", lines)
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "home"), "ingest", str(path), "--json"])
    summary = json.loads(result.output)
    assert summary["other_formats"] == {"eventtracking": 2, "segment": 1}
    assert summary["rejected"] == {"missing_time": 1, "segment_message": 1}
    assert summary["events_stored"] == 4 and summary["duplicates_skipped"] == 1
    store = EventStore(Settings.load(tmp_path / "home").store_path)
    assert [row["reason"] for row in quarantined(store)] == ["segment_message", "missing_time"]
    assert [(row["event_type"], row["course_id"]) for row in stored_events(store)][2:] == [
        ("edx.test.tracker", course),
        ("play_video", course),
    ]

    again = write_log(tmp_path / "more.log", [json.dumps({**tracker, "timestamp": "2024-01-01T12:00:00Z"})])
    text = CliRunner().invoke(main, ["--home", str(tmp_path / "home"), "ingest", str(again)]).output
    assert "events read from the eventtracking format" in text


def test_quarantine_is_bounded_per_file_but_counts_everything(
    store: EventStore, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(worker, "QUARANTINE_LIMIT_PER_FILE", 5)
    path = write_log(tmp_path / "junk.log", [f"junk {i}" for i in range(40)])
    summary = run_ingest(store, path)
    assert summary.rejected == {"not_json": 40}
    assert len(quarantined(store)) == 5


def test_reingest_replaces_the_files_quarantine(store: EventStore, tmp_path: Path) -> None:
    path = write_log(tmp_path / "t.log", [*lines_for(1, 2), "junk"])
    run_ingest(store, path)
    assert len(quarantined(store)) == 1
    write_log(path, [*lines_for(1, 2), "junk", "more junk"])
    os.utime(path, ns=(1, 2))
    run_ingest(store, path)
    assert [row["line"] for row in quarantined(store)] == ["junk", "more junk"]
    write_log(path, lines_for(1, 3))
    os.utime(path, ns=(3, 4))
    run_ingest(store, path)
    assert quarantined(store) == []


def test_cli_json_summary_and_help(tmp_path: Path) -> None:
    path = write_log(tmp_path / "tracking.log", [*lines_for(1, 3), "junk"])
    command = [
        sys.executable,
        "-m",
        "edinsights",
        "--home",
        str(tmp_path / "home"),
        "ingest",
        str(path),
        "--json",
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    summary = json.loads(completed.stdout)
    assert summary["lines_read"] == 4
    assert summary["events_stored"] == 3
    assert summary["rejected"] == {"not_json": 1}
    assert summary["duplicates_skipped"] == 0
    for arguments in (["--help"], ["ingest", "--help"]):
        help_text = subprocess.run(
            [sys.executable, "-m", "edinsights", *arguments], capture_output=True, text=True, check=True
        ).stdout
        assert "Usage:" in help_text


def test_cli_missing_path_exits_with_a_message(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "edinsights", "--home", str(tmp_path / "h"), "ingest", str(tmp_path / "none")],
        capture_output=True,
        text=True,
    )
    assert completed.returncode != 0
    assert "no log files found" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_a_store_built_with_another_hash_is_refused(store: EventStore, tmp_path: Path) -> None:
    from edinsights.events.store import StoreIncompatibleError

    path = write_log(tmp_path / "t.log", lines_for(1, 2))
    run_ingest(store, path)
    identity = store.root / "identity.json"
    recorded = json.loads(identity.read_text())
    identity.write_text(json.dumps({**recorded, "probe": recorded["probe"] + 1}))
    with pytest.raises(StoreIncompatibleError, match="computes event ids differently"):
        run_ingest(store, write_log(tmp_path / "u.log", lines_for(2, 2)))


def test_an_unreadable_file_is_reported_and_retried_next_run(
    store: EventStore, tmp_path: Path, monkeypatch
) -> None:
    good = write_log(tmp_path / "logs" / "a.log", lines_for(1, 3))
    bad = write_log(tmp_path / "logs" / "b.log", lines_for(2, 4))
    real_open = worker.open_source

    def flaky_open(url: str):  # type: ignore[no-untyped-def]
        if url == str(bad):
            raise PermissionError(13, "Permission denied", url)
        return real_open(url)

    monkeypatch.setattr(worker, "open_source", flaky_open)
    summary = run_ingest(store, tmp_path / "logs")
    assert summary.events_stored == 3
    assert summary.failed_files == [
        {"file": str(bad), "error": f"PermissionError: [Errno 13] Permission denied: '{bad}'"}
    ]
    assert str(bad) not in store.manifest.entries()

    monkeypatch.setattr(worker, "open_source", real_open)
    again = run_ingest(store, tmp_path / "logs")
    assert again.files_unchanged == 1 and again.files_ingested == 1 and again.events_stored == 4
    assert again.failed_files == []
    assert str(good) in store.manifest.entries() and str(bad) in store.manifest.entries()


def test_symlinked_log_files_are_read(store: EventStore, tmp_path: Path) -> None:
    real = write_log(tmp_path / "real" / "tracking.log-20240101.gz", lines_for(1, 4))
    links = tmp_path / "links"
    links.mkdir()
    (links / real.name).symlink_to(real)
    (links / "dangling.gz").symlink_to(tmp_path / "nowhere")
    summary = run_ingest(store, links)
    assert summary.files_found == 1 and summary.events_stored == 4
    # The link to nothing is named, not passed over (tests/events/test_unreadable_inputs.py).
    target = tmp_path / "nowhere"
    assert summary.failed_files == [
        {
            "file": str(links / "dangling.gz"),
            "error": f"broken symbolic link (its target {target} does not exist)",
        }
    ]


def test_store_of_an_older_format_is_refused_in_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    log = write_log(tmp_path / "t.log", [event_line()])
    cli = [sys.executable, "-m", "edinsights", "--home", str(home)]
    assert subprocess.run([*cli, "ingest", str(log)], capture_output=True).returncode == 0
    identity = home / "store" / "identity.json"
    recorded = json.loads(identity.read_text())
    assert recorded["format"] == 2
    identity.write_text(json.dumps({key: value for key, value in recorded.items() if key != "format"}))
    for command in (["ingest", str(write_log(tmp_path / "u.log", [event_line(name="x")]))], ["compute"]):
        completed = subprocess.run([*cli, *command], capture_output=True, text=True)
        assert completed.returncode == 1 and "Traceback" not in completed.stderr, completed.stderr
        assert "has format 1, this edinsights reads format 2" in completed.stderr
