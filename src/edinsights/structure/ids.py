"""Matching the block ids events carry to the structure's blocks, whatever their form.

Events name a block by its usage key (`block-v1:Org+Course+Run+type@video+block@<id>`, or
`ccx-block-v1:…`), by an old-style location (`i4x://Org/Course/video/<id>`, which has no run),
by the dashed form old browsers sent (`i4x-Org-Course-video-<id>`) or by the bare 32-hex id the
video player reports (or, for blocks with authored ids, their bare url_name).
edx-opaque-keys parses the keyed forms; all of them come down to
(block type or None, block name), and a course's blocks are looked up by that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from edinsights.structure.traversal import block_name

_HEX_ID = re.compile(r"[0-9a-fA-F]{32}")
_DASHED_I4X = re.compile(r"i4x-([^-/]+)-([^-/]+)-([^-/]+)-(.+)")
_BARE_NAME = re.compile(r"[\w.~-]+")


def parse_block_id(raw: str) -> tuple[str | None, str] | None:
    """(block type, block name) of any id form above; None for text that is no block id."""
    text = (raw or "").strip()
    if not text:
        return None
    if _HEX_ID.fullmatch(text):
        return None, text.lower()
    dashed = _DASHED_I4X.fullmatch(text)
    if dashed:
        return dashed.group(3), dashed.group(4)
    try:
        key = UsageKey.from_string(text)
    except InvalidKeyError:
        return None
    return key.block_type, key.block_id


class BlockIndex:
    """One course's blocks, looked up by any id form (`find`), built from stored block rows."""

    def __init__(self, rows: Iterable[Mapping[str, Any]]) -> None:
        self._by_id: dict[str, Mapping[str, Any]] = {}
        self._by_typed_name: dict[tuple[str, str], Mapping[str, Any]] = {}
        self._by_name: dict[str, list[Mapping[str, Any]]] = {}
        for row in rows:
            name = row.get("block_name") or block_name(row["block_id"])
            self._by_id[row["block_id"]] = row
            self._by_typed_name[(row["block_type"], name.lower())] = row
            self._by_name.setdefault(name.lower(), []).append(row)

    def find(self, raw: str) -> Mapping[str, Any] | None:
        """The block row `raw` names, or None (unknown, or a bare name two blocks share)."""
        row = self._by_id.get(raw)
        if row is not None:
            return row
        parsed = parse_block_id(raw)
        if parsed is None:
            # A bare url_name (`intro`), as the video player reports authored ids: by name.
            if not _BARE_NAME.fullmatch(raw or ""):
                return None
            parsed = (None, raw)
        block_type, name = parsed
        if block_type is not None:
            return self._by_typed_name.get((block_type, name.lower()))
        candidates = self._by_name.get(name.lower(), [])
        return candidates[0] if len(candidates) == 1 else None

    def block_id(self, raw: str) -> str | None:
        """The structure's usage key for `raw`, or None."""
        row = self.find(raw)
        return None if row is None else row["block_id"]
