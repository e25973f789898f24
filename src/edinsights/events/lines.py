"""Cut a block of raw log bytes into lines, without a Python object per line.

A block of ~32 MB holds tens of thousands of lines; building them one by one in Python would
cost more than parsing their JSON in DuckDB. Instead the newline positions are found with
numpy and the lines are handed to DuckDB as an Arrow string-view array that points into the
block itself (zero copy). The JSON object is taken to start at the first "{" of a line, which
strips syslog and LMS-logger prefixes; the rare prefixed, empty or brace-less line is handled
in Python.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from edinsights.events.reader import MAX_LINE

NEWLINE = 10
CARRIAGE_RETURN = 13
OPEN_BRACE = ord("{")
# Arrow string views keep strings of up to 12 bytes inline instead of pointing into the buffer.
VIEW_INLINE_LIMIT = 12
VIEW_DTYPE = np.dtype([("length", "<i4"), ("prefix", "V4"), ("buffer", "<i4"), ("offset", "<i4")])


@dataclass
class LineBatch:
    """The lines of one block: JSON candidates for DuckDB plus the lines rejected up front."""

    data: bytes | memoryview
    first_line_no: int
    line_count: int
    starts: np.ndarray
    ends: np.ndarray
    candidates: pa.Table
    """Columns `line_no` (int64, 1-based) and `js` (the text from the first "{")."""
    rejected: list[tuple[int, str]] = field(default_factory=list)
    """(line_no, reason) for empty lines and lines with no JSON object."""
    utf8_repaired: int = 0

    def line_text(self, line_no: int) -> str:
        index = line_no - self.first_line_no
        raw = bytes(self.data[int(self.starts[index]) : int(self.ends[index])])
        return raw.decode("utf-8", errors="replace")


def split_lines(data: bytes | memoryview, first_line_no: int, max_line: int = MAX_LINE) -> LineBatch:
    """Split `data` (whole lines, each ending in a newline) into a `LineBatch`.

    Lines longer than `max_line` are rejected as `too_long`.
    """
    buffer = np.frombuffer(data, dtype=np.uint8)
    repaired = 0
    # Logs are nearly always pure ASCII (JSON escapes the rest), which is valid UTF-8 as is.
    source = data.obj if isinstance(data, memoryview) else data
    if not source.isascii():  # type: ignore[attr-defined]  # our memoryviews are over bytes
        data, repaired = _valid_utf8(data)
        buffer = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(np.equal(buffer, NEWLINE, out=_scratch(len(buffer))))
    count = len(newlines)
    starts = np.empty(count, dtype=np.int64)
    if count:
        starts[0] = 0
        starts[1:] = newlines[:-1] + 1
    ends = newlines.astype(np.int64)
    # CRLF line endings: the carriage return is not part of the line.
    nonempty = ends > starts
    has_cr = np.zeros(count, dtype=bool)
    has_cr[nonempty] = buffer[ends[nonempty] - 1] == CARRIAGE_RETURN
    ends -= has_cr

    json_starts = starts.copy()
    keep = np.ones(count, dtype=bool)
    rejected: list[tuple[int, str]] = []
    nonempty = ends > starts
    first_bytes = np.full(count, -1, dtype=np.int16)
    first_bytes[nonempty] = buffer[starts[nonempty]]
    for index in np.flatnonzero(first_bytes != OPEN_BRACE):
        start, end = int(starts[index]), int(ends[index])
        brace = bytes(data[start:end]).find(b"{")
        if brace >= 0:
            json_starts[index] = start + brace
            continue
        keep[index] = False
        reason = "empty" if not bytes(data[start:end]).strip() else "not_json"
        rejected.append((first_line_no + int(index), reason))
    for index in np.flatnonzero(ends - starts > max_line):
        if keep[index]:
            keep[index] = False
            rejected.append((first_line_no + int(index), "too_long"))

    line_numbers = np.arange(first_line_no, first_line_no + count, dtype=np.int64)
    views = _string_views(data, buffer, json_starts[keep], ends[keep])
    candidates = pa.table({"line_no": pa.array(line_numbers[keep]), "js": views})
    return LineBatch(data, first_line_no, count, starts, ends, candidates, rejected, repaired)


_scratch_buffers = threading.local()


def _scratch(size: int) -> np.ndarray:
    """A reusable boolean array of `size`: a fresh 64 MB array per block costs 16k page faults."""
    buffer = getattr(_scratch_buffers, "array", None)
    if buffer is None or len(buffer) < size:
        buffer = np.empty(max(size, 1), dtype=bool)
        _scratch_buffers.array = buffer
    return buffer[:size]


def _string_views(
    data: bytes | memoryview, buffer: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> pa.Array:
    """An Arrow string-view array over data[starts[i]:ends[i]], pointing into `data`."""
    lengths = (ends - starts).astype(np.int32)
    views = np.zeros(len(starts), dtype=VIEW_DTYPE)
    views["length"] = lengths
    long_rows = lengths > VIEW_INLINE_LIMIT
    long_starts = starts[long_rows]
    prefix_bytes = (
        buffer[long_starts[:, None] + np.arange(4)] if len(long_starts) else np.empty((0, 4), np.uint8)
    )
    views["prefix"][long_rows] = np.ascontiguousarray(prefix_bytes).view("V4").ravel()
    views["offset"][long_rows] = long_starts.astype(np.int32)
    raw_views = views.view(np.uint8).reshape(len(starts), 16)
    for index in np.flatnonzero(~long_rows):
        start, length = int(starts[index]), int(lengths[index])
        raw_views[index, 4 : 4 + length] = buffer[start : start + length]
    return pa.Array.from_buffers(
        pa.string_view(), len(starts), [None, pa.py_buffer(views), pa.py_buffer(data)]
    )


def _valid_utf8(data: bytes | memoryview) -> tuple[bytes | memoryview, int]:
    """Return `data` as valid UTF-8 and the number of lines that needed repair.

    Invalid byte sequences (seen in user agents and referers copied from old proxies) are
    replaced by U+FFFD so that the rest of the event is kept; the count is reported. Only the
    lines holding a non-ASCII byte are decoded (decoding the whole block to check it built a
    string of up to four times its size), and `data` is copied only when a line is repaired.
    """
    buffer = np.frombuffer(data, dtype=np.uint8)
    high = np.flatnonzero(np.greater_equal(buffer, 0x80, out=_scratch(len(buffer))))
    newlines = np.flatnonzero(np.equal(buffer, NEWLINE, out=_scratch(len(buffer))))
    pieces: list[bytes | memoryview] = []
    done = 0
    for index in np.unique(np.searchsorted(newlines, high)).tolist():
        start = int(newlines[index - 1]) + 1 if index else 0
        end = int(newlines[index]) if index < len(newlines) else len(buffer)
        line = bytes(data[start:end])
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            pieces += [data[done:start], line.decode("utf-8", errors="replace").encode("utf-8")]
            done = end
    if not pieces:
        return data, 0
    return b"".join([*pieces, data[done:]]), len(pieces) // 2
