"""Drop repeats of an event inside one file while it streams through a worker.

Duplicates across files and against the store are found when a run commits (store.py); doing
that for repeats inside a file as well would mean rewriting the file's whole output for a few
repeated lines. Here the worker remembers the keys it has written, as sorted numpy arrays,
and drops a row whose (time, event_id) it has already seen. A row is only ever dropped after
an exact comparison of both values, so a collision of the combined search key keeps the row.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from edinsights.events.normalize import filter_rows

# Mixes the timestamp into the 64-bit event id to form one sortable search key.
_MIX = np.uint64(0x9E3779B97F4A7C15)


class _Run:
    """Keys seen so far, sorted by the combined search key."""

    def __init__(self, keys: np.ndarray, times: np.ndarray, ids: np.ndarray) -> None:
        self.keys, self.times, self.ids = keys, times, ids

    def __len__(self) -> int:
        return len(self.keys)

    def contains(self, keys: np.ndarray, times: np.ndarray, ids: np.ndarray) -> np.ndarray:
        position = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return (self.keys[position] == keys) & (self.times[position] == times) & (self.ids[position] == ids)

    def merge(self, other: _Run) -> _Run:
        keys = np.concatenate([self.keys, other.keys])
        # Both halves are sorted: a stable sort merges them in linear time.
        order = np.argsort(keys, kind="stable")
        return _Run(
            keys[order],
            np.concatenate([self.times, other.times])[order],
            np.concatenate([self.ids, other.ids])[order],
        )


class SeenEvents:
    """The events one worker has written so far, in sorted runs merged like a binary counter.

    Each batch adds one run; runs of similar size are merged, so there are never more than
    log2(batches) runs to search and every key is copied only a logarithmic number of times.
    """

    def __init__(self) -> None:
        self._runs: list[_Run] = []
        self.duplicates = 0

    def drop_seen(self, rows: pa.Table) -> pa.Table:
        """Return `rows` without the events already seen (in this or an earlier batch)."""
        if rows.num_rows == 0:
            return rows
        times = rows.column("time").cast(pa.int64()).to_numpy()
        ids = rows.column("event_id").to_numpy()
        with np.errstate(over="ignore"):
            keys = ids ^ (times.view(np.uint64) * _MIX)

        # Inside the batch: after a stable sort by key, a row equal to its predecessor repeats it.
        order = np.argsort(keys, kind="stable")
        sorted_keys, sorted_times, sorted_ids = keys[order], times[order], ids[order]
        repeat = np.zeros(len(keys), dtype=bool)
        repeat[1:] = (
            (sorted_keys[1:] == sorted_keys[:-1])
            & (sorted_times[1:] == sorted_times[:-1])
            & (sorted_ids[1:] == sorted_ids[:-1])
        )
        for run in self._runs:
            repeat |= run.contains(sorted_keys, sorted_times, sorted_ids)

        fresh = ~repeat
        self._add(_Run(sorted_keys[fresh], sorted_times[fresh], sorted_ids[fresh]))
        dropped = int(repeat.sum())
        if not dropped:
            return rows
        self.duplicates += dropped
        keep = np.ones(len(keys), dtype=bool)
        keep[order[repeat]] = False
        return filter_rows(rows, pa.array(keep))

    def _add(self, run: _Run) -> None:
        if not len(run):
            return
        self._runs.append(run)
        while len(self._runs) > 1 and len(self._runs[-1]) * 2 >= len(self._runs[-2]):
            newest = self._runs.pop()
            self._runs[-1] = self._runs[-1].merge(newest)
