"""Streaming reader for tracking-log files.

Decompresses plain, gzip (single or multi-member) and bzip2 input as it is read and yields
blocks of whole lines, so memory stays bounded whatever the size of the file. Damage (a
truncated or corrupt compressed stream) never raises: the lines before it are yielded, the
partial line at the break is handed over as a truncated tail, and the damage is reported.
"""

from __future__ import annotations

import bz2
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from isal import isal_zlib

GZIP_MAGIC = b"\x1f\x8b"
BZIP2_MAGIC = b"BZh"

# Compressed bytes per read: logs compress ~25:1, so this yields a few MB of text per read.
READ_SIZE = 1 << 17
# Decompressed bytes gathered before a block of lines is handed to the parser: large enough to
# amortise per-block costs (measured on 1M lines: 8 MB 10.3 s, 16 MB 9.2 s, 64 MB 8.4 s),
# small enough that a worker's few blocks in flight stay well under 1.5 GB.
BLOCK_TARGET = 64 << 20
# A "line" longer than this is not a tracking-log event: a partial line that grows past it is
# cut off and reported rather than buffered without bound (lines.py rejects complete ones).
MAX_LINE = 8 << 20
# How much of an over-long line is kept for the quarantine.
OVERLONG_KEPT = 64 << 10


@dataclass
class Block:
    """What the reader yields: whole lines, or the head of one line that was too long."""

    data: bytes | memoryview
    """Complete lines each ending in b"\\n", or the first bytes of an over-long line."""
    overlong: bool = False


@dataclass
class ReadReport:
    compression: str = "none"
    compressed_bytes: int = 0
    content_hash: str = ""
    damage: str | None = None
    truncated_tail: bytes | None = None
    """The incomplete last line of a damaged stream, if there was one."""


class _Decompressor:
    """One interface over gzip members, bzip2 streams and plain bytes."""

    def __init__(self, compression: str) -> None:
        self.compression = compression
        self._obj = self._new()

    def _new(self):  # type: ignore[no-untyped-def]
        if self.compression == "gzip":
            return isal_zlib.decompressobj(31)
        if self.compression == "bzip2":
            return bz2.BZ2Decompressor()
        return None

    def feed(self, data: bytes) -> bytes:
        if self._obj is None:
            return data
        out = []
        while data:
            out.append(self._obj.decompress(data))
            if not self._obj.eof:
                break
            # A finished member followed by more bytes: concatenated gzip members or bzip2
            # streams (as written by `cat a.gz b.gz` or parallel compressors).
            data = self._obj.unused_data
            if data:
                if self.compression == "gzip" and not data.startswith(GZIP_MAGIC):
                    raise ValueError("trailing garbage after gzip member")
                self._obj = self._new()
        return b"".join(out)

    def complete(self) -> bool:
        """True when the stream ended exactly at the end of a member."""
        return self._obj is None or bool(self._obj.eof)


# isal's stub declares `error` an Exception instance; it is the exception class.
DECOMPRESSION_ERRORS: tuple[type[Exception], ...] = (isal_zlib.error, OSError, ValueError, EOFError)  # type: ignore[assignment]


def _salvage(stream: BinaryIO, compression: str, start: int, length: int) -> bytes:
    """The output of the failing chunk [start, start + length) up to the point of damage.

    A decompressor drops the whole output of the call that fails, so the file is decompressed
    again up to the failing chunk and then fed one byte at a time through it. Needs a seekable
    stream (local files and S3 objects are); otherwise the chunk's output is lost and only
    the damage report remains. Leaves the stream positioned after the chunk.
    """
    if not stream.seekable():
        return b""
    stream.seek(0)
    decompressor = _Decompressor(compression)
    remaining = start
    while remaining > 0:
        piece = stream.read(min(READ_SIZE, remaining))
        decompressor.feed(piece)
        remaining -= len(piece)
    failing = stream.read(length)
    salvaged = []
    for offset in range(len(failing)):
        try:
            salvaged.append(decompressor.feed(failing[offset : offset + 1]))
        except DECOMPRESSION_ERRORS:
            break
    return b"".join(salvaged)


def detect_compression(head: bytes) -> str:
    """Sniff the format from the first bytes, not the name: rotated logs are not always named .gz."""
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(BZIP2_MAGIC):
        return "bzip2"
    return "none"


def read_line_blocks(
    stream: BinaryIO,
    report: ReadReport,
    *,
    block_target: int = BLOCK_TARGET,
    max_line: int = MAX_LINE,
) -> Iterator[Block]:
    """Yield blocks of complete lines from `stream`, filling in `report` as it goes."""
    hasher = hashlib.sha256()
    head = stream.read(READ_SIZE)
    report.compression = detect_compression(head)
    decompressor = _Decompressor(report.compression)
    # Decompressed pieces are gathered in a list and joined once per block: growing one buffer
    # and slicing it would copy every byte several times.
    parts: list[bytes] = []
    size = 0
    skipping = False
    chunk = head
    while chunk:
        report.compressed_bytes += len(chunk)
        hasher.update(chunk)
        try:
            out = decompressor.feed(chunk)
        except DECOMPRESSION_ERRORS as error:
            report.damage = (
                f"corrupt {report.compression} data after {report.compressed_bytes} bytes: {error}"
            )
            parts.append(
                _salvage(stream, report.compression, report.compressed_bytes - len(chunk), len(chunk))
            )
            break
        parts.append(out)
        size += len(out)
        if skipping or size >= block_target:
            skipping, blocks, rest = _cut_blocks(b"".join(parts), skipping, max_line, final=False)
            yield from blocks
            parts, size = [rest], len(rest)
        chunk = stream.read(READ_SIZE)
    else:
        if not decompressor.complete():
            report.damage = f"{report.compression} stream ends early after {report.compressed_bytes} bytes"
    # Reading to the end keeps the content hash a hash of the whole file even after damage.
    rest = stream.read(READ_SIZE) if report.damage else b""
    while rest:
        report.compressed_bytes += len(rest)
        hasher.update(rest)
        rest = stream.read(READ_SIZE)
    report.content_hash = hasher.hexdigest()

    skipping, blocks, tail = _cut_blocks(b"".join(parts), skipping, max_line, final=True)
    yield from blocks
    if tail:
        if report.damage:
            report.truncated_tail = tail
        else:
            # A last line without a newline is complete when the file itself is intact.
            yield Block(tail + b"\n")


def _cut_blocks(
    pending: bytes, skipping: bool, max_line: int, *, final: bool
) -> tuple[bool, list[Block], bytes]:
    """Cut the whole lines out of `pending` into blocks, cutting off over-long lines.

    Returns the new `skipping` state (inside the rest of an over-long line), the blocks, and
    the incomplete last line.
    """
    blocks: list[Block] = []
    if skipping:
        newline = pending.find(b"\n")
        if newline < 0:
            return True, blocks, b""
        pending = pending[newline + 1 :]
    last_newline = pending.rfind(b"\n")
    if last_newline >= 0:
        # A view, not a copy: the block's lines are handed on to Arrow without copying.
        blocks.append(Block(memoryview(pending)[: last_newline + 1]))
        pending = pending[last_newline + 1 :]
    if len(pending) > max_line:
        # The partial line at the end is already too long: report its head, drop the rest.
        blocks.append(Block(pending[:OVERLONG_KEPT], overlong=True))
        return not final, blocks, b""
    return False, blocks, pending
