"""The raw column and module-owned extraction into side tables, with back-fill from the store."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import asdict, replace
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from edinsights.engine.duckdb_engine import connect
from edinsights.events.extraction import Extraction, ExtractionError, check_unique
from edinsights.events.ingest import ingest
from edinsights.events.store import EventStore
from tests.conftest import event_line, stored_events, write_log

# Thread ids and titles of new forum threads: `title` only from `raw` (no typed column has it).
FORUM_THREADS = Extraction(
    module="forum",
    table="forum_threads",
    columns={"thread_id": "VARCHAR", "commentable_id": "VARCHAR", "title": "VARCHAR"},
    sql=(
        "SELECT event_id, payload ->> '$.id' AS thread_id, payload ->> '$.commentable_id' AS commentable_id,"
        " raw ->> '$.event.title' AS title FROM events"
    ),
    event_types=("edx.forum.thread.created",),
)


def thread_line(number: int, day: int = 4) -> str:
    return event_line(
        event_type="edx.forum.thread.created",
        time=f"2024-01-0{day}T10:00:{number % 60:02d}.{number:06d}+00:00",
        event={"id": f"thread-{number}", "commentable_id": f"topic-{number % 3}", "title": f"Title {number}"},
    )


def other_lines(count: int, day: int = 4) -> list[str]:
    return [
        event_line(
            event_type="edx.forum.response.created",
            time=f"2024-01-0{day}T11:00:{i:02d}+00:00",
            event={"id": f"response-{i}", "discussion": {"id": "thread-1"}},
        )
        for i in range(count)
    ]


def side_rows(store: EventStore, extraction: Extraction = FORUM_THREADS) -> list[tuple]:
    engine = connect(store, (extraction,))
    return engine.execute(
        f"SELECT thread_id, commentable_id, title FROM {extraction.table} ORDER BY ALL"
    ).fetchall()


def expected(numbers: range | list[int]) -> list[tuple]:
    return sorted((f"thread-{n}", f"topic-{n % 3}", f"Title {n}") for n in numbers)


def test_raw_is_the_json_text_as_written_and_zstd_compressed(store: EventStore, tmp_path: Path) -> None:
    # Key order and spacing as the LMS wrote them; the shipper's prefix is not part of the event.
    text = '{"time":  "2024-01-04T09:01:10+00:00", "event_type": "x", "event": {"b": 1, "a": 2}}'
    log = write_log(tmp_path / "t.log", [f"Jan 04 09:01:10 host tracking: {text}", event_line()])
    ingest([str(log)], store, workers=1)
    assert [row["raw"] for row in stored_events(store)] == [text, event_line()]
    metadata = pq.ParquetFile(next(store.events_dir.glob("*/*.parquet"))).metadata
    raw = metadata.schema.names.index("raw")
    assert metadata.row_group(0).column(raw).compression == "ZSTD"


def test_ingest_writes_each_extraction_into_its_side_table(store: EventStore, tmp_path: Path) -> None:
    lines = (
        [thread_line(n) for n in range(40)] + other_lines(25) + [thread_line(n, day=5) for n in range(40, 50)]
    )
    log = write_log(tmp_path / "t.log.gz", [*lines, thread_line(3)])  # a repeat: stored once
    summary = ingest([str(log)], store, workers=1, extractions=(FORUM_THREADS,))
    assert summary.side_files_written == 2  # one per events file (two dates)
    assert side_rows(store) == expected(range(50))
    # Keyed by event_id: every side row names a stored event of its type.
    engine = connect(store, (FORUM_THREADS,))
    unmatched = engine.execute(
        "SELECT count(*) FROM forum_threads ANTI JOIN events USING (event_id)"
    ).fetchall()[0][0]
    assert unmatched == 0


def test_a_store_ingested_without_it_is_back_filled_without_the_logs(
    store: EventStore, tmp_path: Path
) -> None:
    log = write_log(tmp_path / "logs" / "t.log", [thread_line(n) for n in range(30)] + other_lines(10))
    ingest([str(log)], store, workers=1, extractions=())
    log.unlink()  # rotated away
    assert not (store.side_root / "forum_threads").exists()
    # The next day's log arrives with the module installed: the old events are back-filled.
    today = write_log(tmp_path / "logs" / "u.log", [thread_line(n, day=5) for n in range(30, 35)])
    summary = ingest([str(today)], store, workers=1, extractions=(FORUM_THREADS,))
    assert summary.side_files_written == 2
    assert side_rows(store) == expected(range(35))

    # A module added when no file is new: ingest back-fills it all the same, and so would compute.
    topics = Extraction(
        "other",
        "forum_topics",
        {"commentable_id": "VARCHAR"},
        "SELECT event_id, forum_commentable_id AS commentable_id FROM events",
        where="forum_commentable_id IS NOT NULL",
    )
    summary = ingest([str(today)], store, workers=1, extractions=(FORUM_THREADS, topics))
    assert (summary.files_unchanged, summary.side_files_written) == (1, 2)
    rows = connect(store, (topics,)).execute(
        "SELECT count(*), count(DISTINCT commentable_id) FROM forum_topics"
    )
    assert rows.fetchall() == [(35, 3)]
    engine_topics = replace(topics, table="forum_topics_again")
    rows = connect(store, (engine_topics,)).execute("SELECT count(*) FROM forum_topics_again")
    assert rows.fetchall() == [(35,)]


def test_an_extraction_whose_sql_changed_is_rebuilt(store: EventStore, tmp_path: Path) -> None:
    log = write_log(tmp_path / "t.log", [thread_line(n) for n in range(5)])
    ingest([str(log)], store, workers=1, extractions=(FORUM_THREADS,))
    changed = replace(FORUM_THREADS, sql=FORUM_THREADS.sql.replace("'$.event.title'", "'$.username'"))
    assert not store.side_table_current(changed)
    assert store.backfill(changed) == 1
    assert {row[2] for row in side_rows(store, changed)} == {"learner"}
    assert json.loads((store.side_root / "forum_threads" / "extraction.json").read_text())["fingerprint"] == (
        changed.fingerprint
    )


def test_re_ingesting_adds_no_duplicate_side_rows(store: EventStore, tmp_path: Path) -> None:
    log = write_log(tmp_path / "a" / "t.log", [thread_line(n) for n in range(20)])
    ingest([str(log)], store, workers=1, extractions=(FORUM_THREADS,))
    # The file grows (read again from the start), and a copy of it arrives under another name.
    write_log(log, [thread_line(n) for n in range(30)])
    write_log(tmp_path / "b" / "copy.log", [thread_line(n) for n in range(30)])
    ingest([str(tmp_path / "a"), str(tmp_path / "b")], store, workers=1, extractions=(FORUM_THREADS,))
    ingest([str(tmp_path / "a")], store, workers=1, extractions=(FORUM_THREADS,))
    assert side_rows(store) == expected(range(30))


def test_events_files_of_an_older_release_read_raw_as_null(store: EventStore, tmp_path: Path) -> None:
    ingest([str(write_log(tmp_path / "a.log", [thread_line(1)]))], store, workers=1, extractions=())
    old_file = next(store.events_dir.glob("*/*.parquet"))
    pq.write_table(pq.read_table(old_file).drop_columns(["raw"]), old_file)  # as written before `raw`
    ingest(
        [str(write_log(tmp_path / "b.log", [thread_line(2)]))], store, workers=1, extractions=(FORUM_THREADS,)
    )
    assert side_rows(store) == [("thread-1", "topic-1", None), ("thread-2", "topic-2", "Title 2")]
    raws = connect(store, ()).execute("SELECT raw IS NULL FROM events ORDER BY time").fetchall()
    assert raws == [(True,), (False,)]


def test_bad_declarations_are_refused_naming_the_module() -> None:
    with pytest.raises(ExtractionError, match=r"module 'forum'.*'events'"):
        Extraction("forum", "events", {"x": "VARCHAR"}, "SELECT event_id, 1 AS x FROM events")
    with pytest.raises(ExtractionError, match=r"module 'forum'.*'event_id'"):
        Extraction("forum", "forum_x", {"event_id": "VARCHAR"}, "SELECT event_id FROM events")
    twin = Extraction("other", "forum_threads", {"x": "VARCHAR"}, "SELECT event_id, 1 AS x FROM events")
    with pytest.raises(ExtractionError, match="'forum' and 'other'"):
        check_unique((FORUM_THREADS, twin))


KILLED_RUN = textwrap.dedent(
    """
    import json
    import sys
    from pathlib import Path
    from edinsights.events.extraction import Extraction
    from edinsights.events.ingest import ingest
    from edinsights.events.store import EventStore
    # Slow per events file, so the kill lands while the side tables are being written.
    slow = Extraction("forum", "forum_slow", {"thread_id": "VARCHAR"},
                      "SELECT event_id, payload ->> '$.id' AS thread_id FROM events"
                      " CROSS JOIN (SELECT count(*) FROM range(200000000)) AS pause")
    threads = Extraction(**json.loads(sys.argv[3]))
    ingest([sys.argv[2]], EventStore(Path(sys.argv[1])), workers=1, extractions=(threads, slow))
    """
)


def test_a_killed_ingest_leaves_side_tables_consistent_with_the_events(
    store: EventStore, tmp_path: Path
) -> None:
    logs = tmp_path / "logs"
    for day in range(1, 8):
        write_log(logs / f"t{day}.log", [thread_line(n + 100 * day, day=day) for n in range(20)])
    script = tmp_path / "run.py"
    script.write_text(KILLED_RUN)
    spec = {key: value for key, value in asdict(FORUM_THREADS).items() if key != "fingerprint"}
    process = subprocess.Popen([sys.executable, str(script), str(store.root), str(logs), json.dumps(spec)])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(store.side_root.glob("forum_slow/*/*.parquet"))) < 2:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert store.manifest.pending_commits()  # killed while committing, after some side files
    with store.locked():  # what the next run does first
        pass
    assert not list(store.events_dir.glob("*/*.parquet"))
    assert not list(store.side_root.glob("*/*/*.parquet"))
    # The next run stores everything, side rows included, once.
    ingest([str(logs)], store, workers=1, extractions=(FORUM_THREADS,))
    numbers = [n + 100 * day for day in range(1, 8) for n in range(20)]
    assert side_rows(store) == expected(numbers)
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{store.events_glob()}')").fetchall() == [(140,)]


def test_a_compute_waits_for_a_running_back_fill_or_ingest(
    store: EventStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from edinsights.engine import duckdb_engine
    from edinsights.events.store import StoreLockedError

    ingest(
        [str(write_log(tmp_path / "t.log", [thread_line(n) for n in range(5)]))],
        store,
        workers=1,
        extractions=(),
    )
    found: list[object] = []
    with store.locked():  # another process ingesting (flock: another open file waits as well)
        waiting = threading.Thread(target=lambda: found.append(side_rows(store)))
        waiting.start()
        time.sleep(0.5)
        assert waiting.is_alive() and found == []  # it waits rather than failing
    waiting.join(timeout=60)
    assert found == [expected(range(5))]

    monkeypatch.setattr(duckdb_engine, "BACKFILL_LOCK_WAIT_SECONDS", 0.3)
    other = replace(FORUM_THREADS, table="forum_threads_other")
    with (
        store.locked(),
        pytest.raises(
            StoreLockedError, match=r"another ingest is running .* \(or a back-fill: waited 0.3 s\)"
        ),
    ):
        connect(store, (other,))
