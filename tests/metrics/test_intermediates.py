"""Shared intermediates: computed once per state of the event store, reused, replaced when it changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from edinsights.config import Settings
from edinsights.engine.duckdb_engine import connect, run
from edinsights.events.store import EventStore
from edinsights.metrics.registry import metrics
from tests.conftest import run_ingest, write_log
from tests.metrics.test_video import video


def test_video_segments_are_shared_and_follow_the_store(tmp_path: Path) -> None:
    store = EventStore(Settings.load(tmp_path / "home").store_path)
    run_ingest(
        store,
        write_log(
            tmp_path / "a.log",
            [
                video(0, 1, "play_video", currentTime=0.0, duration=60),
                video(1, 1, "pause_video", currentTime=20.0, duration=60),
            ],
        ),
    )
    derived = store.root / "derived" / "video_segments"
    first = run(connect(store), metrics()["video_timeline"], date(2024, 1, 4))
    [cached] = derived.glob("*.parquet")
    written = cached.stat().st_mtime_ns
    # The other video table, in another connection (as another luigi task would), reads the same file.
    [video_row] = run(connect(store), metrics()["video"], date(2024, 1, 4))
    assert [path.name for path in derived.glob("*.parquet")] == [cached.name]
    assert cached.stat().st_mtime_ns == written
    assert len(first) == 4 and video_row[5] == 1  # segments 0-3; one learner at the start

    # New events: the intermediate is computed again, and the stale file goes.
    run_ingest(
        store,
        write_log(
            tmp_path / "b.log",
            [
                video(5, 2, "play_video", currentTime=0.0, duration=60),
                video(6, 2, "pause_video", currentTime=10.0, duration=60),
            ],
        ),
    )
    [video_row] = run(connect(store), metrics()["video"], date(2024, 1, 4))
    [renewed] = derived.glob("*.parquet")
    assert renewed.name != cached.name and video_row[5] == 2
