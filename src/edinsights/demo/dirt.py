"""The dirt the simulator mixes into its logs on purpose, as real tracking logs have it.

Prefixed lines (syslog's, the LMS logger's) that are still valid events, bad lines (empty, not
JSON, truncated, a missing field, an invalid course id) after some events, and a tail of each
day's events repeated at the top of the next file. Every kind is counted into `counts` (the
ground truth's `dirt`), so the tests can check that ingest rejects exactly these lines.

Draws come from the simulator's own generator, in a fixed order: same seed, same bytes.
"""

from __future__ import annotations

import random
from collections.abc import MutableMapping

import orjson

BAD_KINDS = ("empty", "not_json", "truncated", "missing_time", "missing_event_type", "invalid_course")


def with_dirt(
    rng: random.Random,
    events: list[tuple[float, bytes]],
    carried: list[bytes],
    fraction: float,
    counts: MutableMapping[str, int],
) -> list[bytes]:
    """The day's lines: carried-over duplicates first, prefixes on some, dirty lines mixed in."""
    lines = list(carried)
    counts["duplicate_lines"] += len(carried)
    for at, line in events:
        roll = rng.random()
        if roll < fraction * 0.4:
            line = syslog_prefix(at) + line
            counts["syslog_prefix"] += 1
        elif roll < fraction * 0.8:
            line = logger_prefix(at, line) + line
            counts["logger_prefix"] += 1
        lines.append(line)
        if rng.random() < fraction:
            lines.append(dirty_line(rng, line, counts))
    return lines


def dirty_line(rng: random.Random, model: bytes, counts: MutableMapping[str, int]) -> bytes:
    """One bad line of a random kind, made from the (possibly prefixed) line `model`."""
    kind = rng.choice(BAD_KINDS)
    counts[kind] += 1
    body = model[model.index(b"{") :]
    if kind == "empty":
        return b""
    if kind == "not_json":
        return b"Traceback (most recent call last): tracking log handler failed"
    if kind == "truncated":
        cut = body[: rng.randint(10, max(11, len(body) - 2))].rstrip()
        # A cut that happens to end in "}" reads as malformed rather than truncated.
        return cut.rstrip(b"}")
    if kind == "missing_time":
        return body.replace(b'"time":', b'"tiem":', 1)
    if kind == "missing_event_type":
        return body.replace(b'"event_type":', b'"event_tpye":', 1)
    event = orjson.loads(body)
    event["context"] = {
        "course_id": "course-v1:not a course",
        "user_id": event["context"]["user_id"],
        "path": "/x",
    }
    event["event_type"] = "edx.demo.invalid_course"
    event["page"] = None
    return orjson.dumps(event)


def tail_to_repeat(events: list[tuple[float, bytes]], fraction: float) -> list[bytes]:
    """Log shippers re-send the tail of a file: repeat a few of the day's last lines."""
    count = min(len(events), max(0, round(len(events) * fraction * 0.1)))
    return [line for _, line in events[len(events) - count :]]


def syslog_prefix(at: float) -> bytes:
    whole = int(at)
    return f"Jan 01 {whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d} lms-1 tracking: ".encode()


def logger_prefix(at: float, line: bytes) -> bytes:
    whole = int(at)
    day = line[line.index(b'"time":"') + 8 : line.index(b'"time":"') + 18].decode()
    return (
        f"{day} {whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d},{int(at % 1 * 1000):03d} "
        f"INFO 2187 [tracking] [user None] logger.py:41 - "
    ).encode()
