"""Property tests: whatever bytes arrive, ingest never crashes and accounts for every line."""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edinsights.config import Settings
from edinsights.events.store import EventStore
from tests.conftest import event_line, quarantined, run_ingest, stored_events
from tests.events.test_parsing_rules import CASES

# Property-based fuzzing of ingest: about half a minute.
pytestmark = pytest.mark.slow

REAL_LINES = [line for _, line, expected in CASES if isinstance(expected, dict)] + [
    event_line(time="2024-01-04T12:00:00Z")
]

PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def ingest_bytes(data: bytes, *, compress: bool = False) -> tuple[dict, list[dict], list[dict]]:
    """Ingest `data` as one file in a fresh store; return (summary, stored rows, quarantine)."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        log = root / "tracking.log"
        log.write_bytes(gzip.compress(data) if compress else data)
        store = EventStore(Settings.load(root / "home").store_path)
        summary = run_ingest(store, log)
        return summary.to_dict(), stored_events(store), quarantined(store)


def check_accounting(
    summary: dict, rows: list[dict], rejected: list[dict], data: bytes, *, compressed: bool = False
) -> None:
    if not compressed and data.startswith((b"\x1f\x8b", b"BZh")):
        # Taken for a compressed file (the content decides, not the name): random bytes after
        # the magic are damage, reported as such.
        assert summary["damaged_files"]
    else:
        assert summary["lines_read"] == data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    assert (
        summary["lines_read"]
        == summary["events_stored"] + summary["duplicates_skipped"] + summary["lines_rejected"]
    )
    assert len(rows) == summary["events_stored"]
    assert len(rejected) == summary["lines_rejected"]
    for row in rows:
        assert row["time"] is not None and row["event_type"]


line_bytes = st.one_of(
    st.binary(max_size=200),
    st.text(alphabet='{}[]":,\\ \t\r\x00é\u2028abc019', max_size=80).map(str.encode),
    st.sampled_from([line.encode() for line in REAL_LINES]),
)


@PROPERTY_SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes) -> None:
    check_accounting(*ingest_bytes(data), data)


@PROPERTY_SETTINGS
@given(st.lists(line_bytes, max_size=30), st.booleans())
def test_arbitrary_lines_plain_and_gzip(lines: list[bytes], compress: bool) -> None:
    data = b"\n".join(line.replace(b"\n", b" ") for line in lines)
    check_accounting(*ingest_bytes(data, compress=compress), data, compressed=compress)


def mutate(line: str, draw) -> str:  # type: ignore[no-untyped-def]
    kind = draw(st.sampled_from(["truncate", "delete", "insert", "prefix", "retype"]))
    if kind == "truncate":
        return line[: draw(st.integers(0, len(line)))]
    if kind == "delete":
        at = draw(st.integers(0, len(line) - 1))
        return line[:at] + line[at + 1 :]
    if kind == "insert":
        at = draw(st.integers(0, len(line)))
        return line[:at] + draw(st.sampled_from(list('{}[]",: \\x0'))) + line[at:]
    if kind == "prefix":
        return draw(st.text(alphabet="abc :{-,0123[]", max_size=30)) + line
    event = json.loads(line[line.index("{") :])  # some real lines carry a shipper's prefix
    field = draw(st.sampled_from(["time", "event_type", "context", "event", "username"]))
    event[field] = draw(st.sampled_from([12345, 1.5, None, [], ["x"], {"a": 1}, "", "text", True]))
    return json.dumps(event)


@PROPERTY_SETTINGS
@given(st.data())
def test_mutated_real_lines(data: st.DataObject) -> None:
    lines = [
        mutate(data.draw(st.sampled_from(REAL_LINES)), data.draw)
        for _ in range(data.draw(st.integers(1, 20)))
    ]
    raw = ("\n".join(line.replace("\n", " ") for line in lines) + "\n").encode()
    check_accounting(*ingest_bytes(raw), raw)
