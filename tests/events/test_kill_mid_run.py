"""Crash safety: a real ingest process killed with SIGKILL at different moments.

After every kill the store must be readable and hold exactly what the manifest says; the next
run must finish the work, ending with every valid event stored exactly once.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from edinsights.config import Settings
from edinsights.events.store import EventStore, StoreLockedError
from tests.conftest import run_ingest, write_log

# Kills ingest runs of a generated data set at several points.
pytestmark = pytest.mark.slow

FILES = 3
LINES_PER_FILE = 60_000


def _lines(file_index: int) -> list[str]:
    template = (
        '{{"username": "u{user}", "event_source": "server", "event_type": "problem_check", '
        '"time": "2024-01-0{day}T{hour:02d}:{minute:02d}:{second:02d}.{micro:06d}+00:00", '
        '"context": {{"course_id": "course-v1:edX+DemoX+2024", "user_id": {user}, "path": "/x"}}, '
        '"event": {{"problem_id": "block-v1:edX+DemoX+2024+type@problem+block@p{problem}", '
        '"attempts": 1, "success": "correct", "answers": {{"a": "{pad}"}}}}}}'
    )
    lines = []
    for i in range(LINES_PER_FILE):
        lines.append(
            template.format(
                user=i % 977,
                day=1 + (i % 3),
                hour=i // 3600 % 24,
                minute=i // 60 % 60,
                second=i % 60,
                micro=file_index * 100_000 + i % 100_000,
                problem=i % 50,
                pad="x" * 400,
            )
        )
        if i % 1000 == 0:
            lines.append("not json at all")
    return lines


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("logs")
    for index in range(FILES):
        write_log(directory / f"tracking.log-2024010{index + 1}.gz", _lines(index))
    return directory


def _start(home: Path, logs: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "edinsights", "--home", str(home), "ingest", str(logs), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for(condition, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.002)
    return False


def _check_consistent(store: EventStore) -> None:
    """Readable, and every visible event file belongs to a run the manifest recorded."""
    recorded_runs = {entry.run_id for entry in store.manifest.entries().values()}
    pending = set(store.manifest.pending_commits())
    files = list(store.events_dir.glob("*/*.parquet"))
    for path in files:
        run_id = path.name.removeprefix("part-").rsplit("-", 1)[0]
        assert run_id in recorded_runs or run_id in pending, path
    if files:
        query = f"SELECT count(*) FROM read_parquet('{store.events_glob()}', hive_partitioning = true)"
        assert duckdb.sql(query).fetchall()[0][0] >= 0


def _check_complete(store: EventStore, logs: Path) -> None:
    rows = duckdb.sql(
        f"SELECT count(*), count(DISTINCT (time, event_id)) FROM read_parquet('{store.events_glob()}')"
    ).fetchall()[0]
    assert rows == (FILES * LINES_PER_FILE, FILES * LINES_PER_FILE)
    assert set(store.manifest.entries()) == {str(path) for path in logs.iterdir()}
    assert store.manifest.pending_commits() == []
    assert not list(store.root.rglob("*.tmp"))
    assert not (store.staging_root.exists() and any(store.staging_root.iterdir()))


def _staged(store: EventStore) -> bool:
    return store.staging_root.exists() and any(store.staging_root.glob("*/*/dt=*/part.parquet"))


def _committing(store: EventStore) -> bool:
    return store.events_dir.exists() and any(store.events_dir.glob("*/*.parquet"))


@pytest.mark.parametrize(
    "moment",
    ["after 0.5 s", "while staging", "while committing"],
)
def test_killed_run_leaves_a_consistent_store_and_the_next_run_completes(
    tmp_path: Path, logs: Path, moment: str
) -> None:
    home = tmp_path / "home"
    store = EventStore(Settings.load(home).store_path)
    process = _start(home, logs)
    if moment == "after 0.5 s":
        time.sleep(0.5)
    elif moment == "while staging":
        assert _wait_for(lambda: _staged(store)), "no staged output appeared"
    else:
        assert _wait_for(lambda: _committing(store)), "the commit never started"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"

    _check_consistent(store)
    summary = run_ingest(store, logs)
    assert summary.failed_files == []
    _check_complete(store, logs)


def test_kill_between_commit_steps_rolls_back_the_moved_files(
    tmp_path: Path, logs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that dies after moving files but before recording them: they are removed again."""
    from edinsights.events import manifest as manifest_module

    store = EventStore(Settings.load(tmp_path / "home").store_path)

    def die(self, run_id, entries):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt("killed between the renames and the manifest transaction")

    monkeypatch.setattr(manifest_module.Manifest, "record", die)
    with pytest.raises(KeyboardInterrupt):
        run_ingest(store, logs)
    assert list(store.events_dir.glob("*/*.parquet")), "the run should have moved files before dying"
    assert store.manifest.pending_commits()
    monkeypatch.undo()

    summary = run_ingest(store, logs)
    assert summary.events_stored == FILES * LINES_PER_FILE and summary.duplicates_skipped == 0
    _check_complete(store, logs)


def test_a_second_concurrent_ingest_fails_fast(tmp_path: Path, logs: Path) -> None:
    home = tmp_path / "home"
    store = EventStore(Settings.load(home).store_path)
    with store.locked():
        with pytest.raises(StoreLockedError, match="another ingest is running"):
            run_ingest(store, logs)
        completed = subprocess.run(
            [sys.executable, "-m", "edinsights", "--home", str(home), "ingest", str(logs), "--json"],
            capture_output=True,
            text=True,
        )
    assert completed.returncode == 1
    assert "another ingest is running" in completed.stderr
    summary = json.loads(
        subprocess.run(
            [sys.executable, "-m", "edinsights", "--home", str(home), "ingest", str(logs), "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert summary["events_stored"] == FILES * LINES_PER_FILE
