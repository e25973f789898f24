"""bench/loggen.py, the ingest benchmark's generator, renders its lines with demo/events.py."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import orjson
import pytest

from edinsights.demo.events import Actor, envelope

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def loggen() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module("loggen")
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture(scope="module")
def generated(loggen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[bytes], dict]:
    path = tmp_path_factory.mktemp("loggen") / "tracking.log"
    stats = loggen.write_log(path, 6000, seed=3, dirt=0.05, processes=1)
    return path.read_bytes().split(b"\n")[:-1], stats


def events_of(lines: list[bytes]) -> list[tuple[bytes, dict]]:
    """Lines that are one JSON object from their first byte (not prefixed, not broken)."""
    found = []
    for line in lines:
        try:
            event = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(event, dict):
            found.append((line, event))
    return found


def test_lines_are_the_simulators_rendering(generated: tuple[list[bytes], dict]) -> None:
    lines, _stats = generated
    sample = orjson.loads(
        envelope(
            Actor(1, "a", "1.2.3.4", "agent", "en", "s"),
            time="2024-01-04T00:00:00+00:00",
            event_type="x",
            source="server",
            course_id="course-v1:A+B+C",
            path="/x",
            payload={},
            name="x",
        )
    )
    order = list(sample)
    events = events_of(lines)
    assert len(events) > 5000
    for line, event in events:
        # Byte for byte what orjson writes for this event, fields in the envelope's order.
        assert orjson.dumps(event) == line
        keys = list(event)
        assert keys == [key for key in order if key in event], keys


def test_dirt_still_applies_to_the_rendered_lines(
    generated: tuple[list[bytes], dict], loggen: ModuleType
) -> None:
    lines, stats = generated
    dirt = stats["dirt"]
    events = [event for _line, event in events_of(lines)]
    assert sum("time" not in event for event in events) == dirt["missing_time"] > 0
    assert sum("event_type" not in event for event in events) == dirt["missing_event_type"] > 0
    bad = set(loggen.BAD_COURSE_IDS)
    assert sum(event["context"].get("course_id") in bad for event in events) == dirt["invalid_course"] > 0
    prefixed = [line for line in lines if b" tracking: {" in line or b"logger.py:41 - {" in line]
    assert len(prefixed) == dirt["syslog_prefix"] + dirt["logger_prefix"]
    assert len(lines) == stats["lines"]
