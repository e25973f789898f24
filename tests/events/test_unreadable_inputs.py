"""Inputs that cannot be read are reported, never passed over in silence (and a FIFO never blocks).

Tests run as root in CI, and root reads everything (CAP_DAC_OVERRIDE): the ingest runs in a
subprocess without those capabilities (`setpriv`, util-linux), so a chmod 000 directory is as
unreadable to it as to the operator's cron job.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import event_line, write_log

WITHOUT_DAC = ["dac_override", "dac_read_search"]


def ingest_command(home: Path, *arguments: str, command_name: str = "ingest") -> list[str]:
    command = [sys.executable, "-m", "edinsights", "--home", str(home), command_name, *arguments]
    if os.geteuid() != 0:
        return command  # an ordinary user cannot read a chmod 000 directory anyway
    dropped = ",".join(f"-{capability}" for capability in WITHOUT_DAC)
    return ["setpriv", f"--inh-caps={dropped}", f"--bounding-set={dropped}", *command]


@pytest.fixture
def probes(tmp_path: Path) -> Iterator[dict[str, Path]]:
    logs = tmp_path / "logs"
    good = write_log(logs / "tracking.log-20240104", [event_line()])
    locked = logs / "locked"
    write_log(locked / "tracking.log-20240105", [event_line(name="below the locked directory")])
    locked.chmod(0o000)
    fifo = logs / "pipe.log"
    os.mkfifo(fifo)
    listener = socket.socket(socket.AF_UNIX)
    sock = logs / "socket.log"
    listener.bind(str(sock))
    dangling = logs / "dangling.log"
    dangling.symlink_to(tmp_path / "nowhere.log")
    loop_a, loop_b = logs / "loop-a.log", logs / "loop-b.log"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    parent = logs / "parent"
    parent.symlink_to(logs, target_is_directory=True)
    yield {
        "good": good,
        "locked": locked,
        "fifo": fifo,
        "socket": sock,
        "dangling": dangling,
        "loop-a": loop_a,
        "loop-b": loop_b,
        "parent": parent,
    }
    listener.close()
    locked.chmod(0o700)  # so that pytest can remove it


EXPECTED = {
    # input: (summary list, words of the reason)
    "locked": ("failed", "unreadable directory (Permission denied): the files below it were not read"),
    "dangling": ("failed", "broken symbolic link (its target"),
    "loop-a": ("failed", "symbolic link loop"),
    "loop-b": ("failed", "symbolic link loop"),
    "fifo": ("skipped", "not a regular file (a FIFO)"),
    "socket": ("skipped", "not a regular file (a socket)"),
    "parent": ("skipped", "directory link loop: leads back to"),
}


def test_unreadable_inputs_are_reported_and_fail_the_run(tmp_path: Path, probes: dict[str, Path]) -> None:
    home = tmp_path / "home"
    logs = str(probes["good"].parent)
    completed = subprocess.run(
        ingest_command(home, logs, "--json"), capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 1, completed.stderr
    summary = json.loads(completed.stdout)
    assert summary["files_found"] == 1 and summary["files_ingested"] == 1 and summary["events_stored"] == 1
    reported = {
        **{entry["file"]: ("failed", entry["error"]) for entry in summary["failed_files"]},
        **{entry["file"]: ("skipped", entry["reason"]) for entry in summary["skipped_files"]},
    }
    assert set(reported) == {str(probes[name]) for name in EXPECTED}
    for name, (kind, reason) in EXPECTED.items():
        assert reported[str(probes[name])][0] == kind, name
        assert reason in reported[str(probes[name])][1], name

    # The same in the text summary, one line per input; the good file is unchanged now.
    completed = subprocess.run(ingest_command(home, logs), capture_output=True, text=True, timeout=120)
    assert completed.returncode == 1, completed.stderr
    lines = completed.stdout.splitlines()
    for name, (kind, reason) in EXPECTED.items():
        assert any(line.startswith(f"{kind}: {probes[name]}: ") and reason in line for line in lines), name
    assert "Traceback" not in completed.stderr


def test_a_fifo_alone_is_skipped_without_blocking(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    write_log(logs / "tracking.log", [event_line()])
    os.mkfifo(logs / "tracking.log.fifo")  # nobody writes to it: opening it would wait for ever
    completed = subprocess.run(
        ingest_command(tmp_path / "home", str(logs), "--json"), capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr  # nothing unreadable: a FIFO is no log file
    summary = json.loads(completed.stdout)
    assert summary["events_stored"] == 1 and summary["failed_files"] == []
    assert summary["skipped_files"] == [
        {"file": str(logs / "tracking.log.fifo"), "reason": "not a regular file (a FIFO)"}
    ]


def test_an_unreadable_directory_named_on_the_command_line_fails(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    write_log(locked / "tracking.log", [event_line()])
    locked.chmod(0o000)
    try:
        completed = subprocess.run(
            ingest_command(tmp_path / "home", str(locked)), capture_output=True, text=True, timeout=120
        )
    finally:
        locked.chmod(0o700)
    assert completed.returncode == 1
    assert f"failed: {locked}: unreadable directory (Permission denied)" in completed.stdout


@pytest.mark.slow
def test_run_reports_unreadable_inputs_and_fails_after_computing(
    tmp_path: Path, probes: dict[str, Path]
) -> None:
    """`edinsights run` is what cron calls: what it could read is computed, the rest fails the run."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    logs = str(probes["good"].parent)
    for attempt in ("first", "second: the good file is ingested already"):
        completed = subprocess.run(
            ingest_command(home, logs, "--json", command_name="run"),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert completed.returncode == 1, (attempt, completed.stderr)
        summary = json.loads(completed.stdout)
        assert "course_activity" in summary["computed"] or "course_activity" in summary["up_to_date"], attempt
        failed = {entry["file"] for entry in summary["failed_inputs"]}
        skipped = {entry["file"] for entry in summary["skipped_inputs"]}
        assert failed == {str(probes[name]) for name, (kind, _) in EXPECTED.items() if kind == "failed"}, (
            attempt
        )
        assert skipped == {str(probes[name]) for name, (kind, _) in EXPECTED.items() if kind == "skipped"}, (
            attempt
        )
    completed = subprocess.run(
        ingest_command(home, logs, command_name="run"), capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 1
    assert f"failed: {probes['locked']}: unreadable directory" in completed.stderr
    assert "Traceback" not in completed.stderr
