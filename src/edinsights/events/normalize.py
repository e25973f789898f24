"""Tracking-log lines → event-store rows, in DuckDB.

Each rule of docs/event-store.md ("Normalisation") is one expression below. The JSON is
parsed once per line with `from_json` into a struct of the fields we keep, and once more for
the payload (`event`), which browser events send as a JSON-encoded string. (DuckDB's common
subexpression elimination keeps each parse to one evaluation; materialising the CTEs was
measured slower.)

Lines without `time` get a second query: those in event-tracking's own format or in
Segment's are mapped into the tracking-log struct the LMS would have written (rule 13), and
then go through the same rules as every other line.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from edinsights.events.schema import EVENTS_COLUMNS

# The fields of a tracking-log line that the store keeps. Every leaf is read as VARCHAR and
# cast afterwards with TRY_CAST: real logs write the same field as a number in one event and
# as a string in another, and a value of the wrong type must become NULL, not an error.
MODULE = {"usage_key": "VARCHAR", "display_name": "VARCHAR"}
CONTEXT = {
    "course_id": "VARCHAR",
    "org_id": "VARCHAR",
    "user_id": "VARCHAR",
    "path": "VARCHAR",
    "module": MODULE,
    "asides": {"tagging_aside": {"saved_tags": "JSON"}},
}
# The request fields of an event: top-level in a tracking log, in `context` in event-tracking's format.
REQUEST_FIELDS = ("username", "session", "ip", "agent", "host", "referer", "accept_language")
ENVELOPE = {
    "time": "VARCHAR",
    "event_type": "VARCHAR",
    "event_source": "VARCHAR",
    "name": "VARCHAR",
    **dict.fromkeys(REQUEST_FIELDS, "VARCHAR"),
    "page": "VARCHAR",
    "context": CONTEXT,
    "event": "JSON",
}

# The fields of the two other formats a tracking log may hold (rule 13): event-tracking's own
# (`name`, `timestamp`, `data`, everything else in `context`), as its logger backend writes it
# when the LMS's legacy shim is not configured; and Segment messages (`type`, `messageId`,
# `properties` holding the edX event), as the mobile apps send them.
OTHER_FORMATS = {
    "timestamp": "VARCHAR",
    "name": "VARCHAR",
    "event_type": "VARCHAR",
    "data": "JSON",
    "type": "VARCHAR",
    "messageId": "VARCHAR",
    "receivedAt": "VARCHAR",
    "userId": "VARCHAR",
    "context": {
        **CONTEXT,
        **dict.fromkeys(REQUEST_FIELDS, "VARCHAR"),
        "timestamp": "VARCHAR",
        "event_type": "VARCHAR",
        "event_source": "VARCHAR",
        "page": "VARCHAR",
        "open_in_browser_url": "VARCHAR",
        "userAgent": "VARCHAR",
        "traits": {"username": "VARCHAR"},
    },
    "properties": {
        "name": "VARCHAR",
        "label": "VARCHAR",
        "course_id": "VARCHAR",
        "data": "JSON",
        "context": {
            "course_id": "VARCHAR",
            "org_id": "VARCHAR",
            "ip": "VARCHAR",
            "open_in_browser_url": "VARCHAR",
            "module": MODULE,
        },
    },
}

PAYLOAD = {
    "course_id": "VARCHAR",
    "user_id": "VARCHAR",
    "mode": "VARCHAR",
    "id": "VARCHAR",
    "module_id": "VARCHAR",
    "code": "VARCHAR",
    "currentTime": "VARCHAR",
    "current_time": "VARCHAR",
    "old_time": "VARCHAR",
    "new_time": "VARCHAR",
    "duration": "VARCHAR",
    "new_speed": "VARCHAR",
    "problem_id": "VARCHAR",
    "attempts": "VARCHAR",
    "grade": "VARCHAR",
    "max_grade": "VARCHAR",
    "success": "VARCHAR",
    "answers": "JSON",
    "submission": "JSON",
    "correct_map": "JSON",
    "commentable_id": "VARCHAR",
    "discussion": {"id": "VARCHAR"},
    "response": {"id": "VARCHAR"},
}

# Event types whose payload `id` names a video (browser, mobile and newer `edx.video.*` names).
VIDEO_EVENT_TYPES = (
    "play_video",
    "pause_video",
    "seek_video",
    "stop_video",
    "load_video",
    "speed_change_video",
    "show_transcript",
    "hide_transcript",
    "video_hide_cc_menu",
    "video_show_cc_menu",
    "complete_video",
)

# The LMS's event transformer gives the mobile apps' video events the browser's event types
# (common/djangoapps/track/transformers.py in edx-platform); rule 13 applies it.
LEGACY_VIDEO_TYPES = {
    "edx.video.played": "play_video",
    "edx.video.paused": "pause_video",
    "edx.video.stopped": "stop_video",
    "edx.video.loaded": "load_video",
    "edx.video.position.changed": "seek_video",
    "edx.video.seeked": "seek_video",
    "edx.video.transcript.shown": "show_transcript",
    "edx.video.transcript.hidden": "hide_transcript",
    "edx.video.language_menu.shown": "video_show_cc_menu",
    "edx.video.language_menu.hidden": "video_hide_cc_menu",
}

# A course key inside a URL path: `/courses/course-v1:...` (also ccx-v1) or `/courses/Org/Course/Run`.
COURSE_IN_PATH = r"/courses/((?:course-v1|ccx-v1)[:%][^/?#]+|[^/?#]+/[^/?#]+/[^/?#]+)"


def _sql_file(name: str) -> str:
    """The SQL file `name` beside this module (read once, at import)."""
    return (Path(__file__).parent / name).read_text()


# The queries are format templates ({name} is filled in by _sql; {{ and }} are braces).
# log_lines.sql: tracking-log lines, whose JSON object is the event. other_format_lines.sql:
# lines without `time` in event-tracking's or Segment's format (rule 13). normalize.sql: the
# rules over either. text_macros.sql and problem_lists.sql: rules 11-12, over problem rows only.
LOG_LINES = _sql_file("log_lines.sql")
OTHER_FORMAT_LINES = _sql_file("other_format_lines.sql")
NORMALIZE_SQL = _sql_file("normalize.sql")


PROBLEM_TEXT_COLUMNS = ("problem_answers", "problem_submission", "problem_correct_map", "problem_tags")

TEXT_MACROS = _sql_file("text_macros.sql")
PROBLEM_SQL = _sql_file("problem_lists.sql")


def _sql(lines: str) -> str:
    """The normalising query over `lines` (LOG_LINES or OTHER_FORMAT_LINES)."""
    return NORMALIZE_SQL.format(
        lines=lines.format(
            envelope=json.dumps(ENVELOPE),
            other_formats=json.dumps(OTHER_FORMATS),
            legacy_video_types=" ".join(
                f"WHEN '{name}' THEN '{legacy}'" for name, legacy in LEGACY_VIDEO_TYPES.items()
            ),
            tracker_request_fields=", ".join(f"'{field}': o.context.{field}" for field in REQUEST_FIELDS),
        ),
        payload=json.dumps(PAYLOAD),
        course_in_path=COURSE_IN_PATH,
        video_types=", ".join(f"'{name}'" for name in VIDEO_EVENT_TYPES),
    )


IDENTITY_PROBE = "edinsights event identity probe"


def identity_probe() -> int:
    """event_id of a fixed text: tells whether this DuckDB computes event ids like the store's.

    event_id is DuckDB's 64-bit `hash()` of the JSON text (measured ~2.5 us/line cheaper than
    MD5, a sixth of the whole normalisation). DuckDB does not promise that `hash()` stays the
    same across releases, so the store records this probe and refuses to mix ids (see store.py).
    """
    connection = duckdb.connect()
    try:
        return int(connection.execute("SELECT hash(?)", [IDENTITY_PROBE]).fetchall()[0][0])
    finally:
        connection.close()


@lru_cache(maxsize=65536)
def canonical_course_id(raw: str) -> str | None:
    """The canonical string of a valid course key (course-v1, Org/Course/Run or CCX), else None."""
    candidate = unquote(raw) if "%" in raw else raw
    try:
        return str(CourseKey.from_string(candidate.strip()))
    except InvalidKeyError:
        return None


def course_org(course_id: str) -> str | None:
    return CourseKey.from_string(course_id).org


class Normalizer:
    """Normalises Arrow batches of candidate lines with one DuckDB connection."""

    OUTPUT_COLUMNS = tuple(
        column.name for column in EVENTS_COLUMNS if column.name not in {"source_file", "source_line"}
    )
    """The columns `normalize` returns (with `line_no` first); `raw` is taken from the candidates."""

    def __init__(self, threads: int = 1) -> None:
        self._connection = duckdb.connect(config={"threads": threads})
        self._connection.execute("SET TimeZone = 'UTC'")
        # DuckDB draws a progress bar on stdout for a block that takes over 2 s (a loaded
        # machine), which would break the `--json` summary.
        self._connection.execute("SET enable_progress_bar = false")
        # A view parses the long query once; per batch only binding and planning remain
        # (measured 24 -> 14 ms per batch).
        empty = pa.table({"line_no": pa.array([], pa.int64()), "js": pa.array([], pa.string_view())})
        self._connection.register("candidates", empty)
        self._connection.register("timeless", empty.select(["line_no"]))
        self._connection.execute(TEXT_MACROS)
        self._connection.execute(f"CREATE TEMP VIEW normalized AS {_sql(LOG_LINES)}")
        self._connection.execute(f"CREATE TEMP VIEW normalized_other AS {_sql(OTHER_FORMAT_LINES)}")
        self._connection.unregister("candidates")
        self._connection.unregister("timeless")
        empty_problems = pa.table({name: pa.array([], pa.string()) for name in PROBLEM_TEXT_COLUMNS})
        self._connection.register("problems", empty_problems)
        self._connection.execute(f"CREATE TEMP VIEW problem_lists AS {PROBLEM_SQL}")
        self._connection.unregister("problems")
        self.reset_counts()

    def reset_counts(self) -> None:
        self.invalid_course_ids = 0
        self.other_formats: Counter[str] = Counter()
        """Events read from lines in another format than the tracking log's, by format."""

    def normalize(self, candidates: pa.Table) -> tuple[pa.Table, list[tuple[int, str]]]:
        """Return the stored rows (with `line_no`) and the (line_no, reason) of rejected ones."""
        self._connection.register("candidates", candidates)
        try:
            rows, rejected = self._run("normalized")
            timeless = [line_no for line_no, reason in rejected if reason == "other_format"]
            if timeless:
                # A second query, only over the lines that may be in another format: planning it
                # costs ~30 ms per batch, which logs without such lines never pay.
                self._connection.register("timeless", pa.table({"line_no": pa.array(timeless, pa.int64())}))
                try:
                    other_rows, other_rejected = self._run("normalized_other")
                finally:
                    self._connection.unregister("timeless")
                self.other_formats.update(other_rows.column("line_format").to_pylist())
                rows = pa.concat_tables([rows, other_rows])
                rejected = [item for item in rejected if item[1] != "other_format"] + other_rejected
        finally:
            self._connection.unregister("candidates")
        rows = self._add_problem_lists(self._resolve_courses(rows))
        return _with_raw(rows, candidates), rejected

    def _run(self, view: str) -> tuple[pa.Table, list[tuple[int, str]]]:
        """The rows `view` makes of the candidates: those kept, and the (line_no, reason) of the rest."""
        result = self._connection.sql(f"SELECT * FROM {view}").to_arrow_table()

        rejected_mask = pc.is_valid(result.column("reject_reason"))
        if not pc.any(rejected_mask).as_py():
            return result, []
        bad = result.select(["line_no", "reject_reason"]).filter(rejected_mask)
        rejected = list(
            zip(bad.column("line_no").to_pylist(), bad.column("reject_reason").to_pylist(), strict=True)
        )
        return _without_rows(result, rejected_mask), rejected

    def _add_problem_lists(self, rows: pa.Table) -> pa.Table:
        """Turn `problem_parts` and `problem_tags` into lists (rules 11-12) where there is anything."""
        selected = pc.or_(
            pc.is_valid(rows.column("problem_answers")), pc.is_valid(rows.column("problem_tags"))
        )
        if not pc.any(selected).as_py():
            return rows.set_column(
                rows.schema.get_field_index("problem_tags"), "problem_tags", pa.nulls(rows.num_rows)
            )
        # The four columns first: filtering the whole table copied every string column.
        self._connection.register("problems", rows.select(list(PROBLEM_TEXT_COLUMNS)).filter(selected))
        try:
            lists = self._connection.sql(
                "SELECT problem_parts, problem_tags FROM problem_lists"
            ).to_arrow_table()
        finally:
            self._connection.unregister("problems")
        # Row i of the table takes entry k of `lists` when it is the k-th selected row.
        chosen = selected.to_numpy(zero_copy_only=False)
        indices = pa.array(np.cumsum(chosen) - 1, mask=~chosen)
        for name in ("problem_parts", "problem_tags"):
            rows = rows.set_column(
                rows.schema.get_field_index(name), name, pc.take(lists.column(name), indices)
            )
        return rows

    def _resolve_courses(self, rows: pa.Table) -> pa.Table:
        """Validate course-id candidates with edx-opaque-keys, once per distinct value."""
        explicit = rows.column("course_candidate")
        # The query sets a fallback only where one applies (an absent or a URL-encoded explicit
        # id): any other explicit id that is not a valid key leaves the course NULL.
        course_ids = pc.coalesce(_validate_keys(explicit), _validate_keys(rows.column("course_fallback")))
        self.invalid_course_ids += pc.sum(pc.and_(pc.is_valid(explicit), pc.is_null(course_ids))).as_py() or 0

        org_ids = rows.column("org_id")
        if pc.any(pc.and_(pc.is_null(org_ids), pc.is_valid(course_ids))).as_py():
            distinct = [value for value in pc.unique(course_ids).to_pylist() if value is not None]
            orgs = pa.array([course_org(value) for value in distinct], pa.string())
            derived = pc.take(orgs, pc.index_in(course_ids, pa.array(distinct, pa.string())))
            org_ids = pc.coalesce(org_ids, derived)

        rows = rows.drop_columns(["reject_reason", "course_candidate", "course_fallback", "org_id"])
        rows = rows.append_column("course_id", course_ids).append_column("org_id", org_ids)
        return rows.select(["line_no", *(name for name in self.OUTPUT_COLUMNS if name != "raw")])


def _with_raw(rows: pa.Table, candidates: pa.Table) -> pa.Table:
    """`rows` with `raw`, each event's JSON text as it arrived, taken from its candidate line.

    The candidates' `js` is a string view into the decompressed block: taking from it copies
    16-byte views, not the text, and the Parquet writer reads the text from the block (routing
    the text through DuckDB's output instead cost a fifth of the ingest's throughput).
    """
    line_numbers = candidates.column("line_no").to_numpy()
    positions = np.searchsorted(line_numbers, rows.column("line_no").to_numpy())
    return rows.append_column("raw", _take_views(candidates.column("js"), positions)).select(
        ["line_no", *Normalizer.OUTPUT_COLUMNS]
    )


# Above this many kept stretches per row, _without_rows filters instead of slicing.
MAX_STRETCHES_PER_ROW = 1 / 64


def _without_rows(rows: pa.Table, dropped: pa.ChunkedArray) -> pa.Table:
    """`rows` without those where `dropped` is true, which are few (the rejected lines).

    Arrow's filter copies every string column into buffers it grows as it goes (reallocating
    and faulting in fresh pages): measured 70 ms for a 64 MB block. Concatenating the kept
    stretches between the dropped rows sizes each buffer once (14 ms). The result is one
    chunk, as the filter's was: DuckDB and the Parquet writer pay per chunk. Many short
    stretches (a very dirty block) are filtered instead.
    """
    bad = np.flatnonzero(pc.fill_null(dropped, False).to_numpy(zero_copy_only=False))
    starts = np.concatenate([[0], bad + 1])
    ends = np.concatenate([bad, [rows.num_rows]])
    kept = ends > starts
    if kept.sum() > max(16, rows.num_rows * MAX_STRETCHES_PER_ROW):
        return rows.filter(pc.invert(pc.fill_null(dropped, False)))
    pieces = [
        rows.slice(start, end - start)
        for start, end in zip(starts[kept].tolist(), ends[kept].tolist(), strict=True)
    ]
    return pa.concat_tables(pieces).combine_chunks() if pieces else rows.slice(0, 0)


def filter_rows(rows: pa.Table, mask: pa.Array | pa.ChunkedArray) -> pa.Table:
    """`rows.filter(mask)` for tables with string-view columns (`raw`), which Arrow cannot filter."""
    views = [
        name
        for name, kind in zip(rows.column_names, rows.schema.types, strict=True)
        if kind == pa.string_view()
    ]
    if not views:
        return rows.filter(mask)
    kept = rows.drop_columns(views).filter(mask)
    positions = np.flatnonzero(pc.fill_null(mask, False).to_numpy(zero_copy_only=False))
    for name in views:
        kept = kept.append_column(name, _take_views(rows.column(name), positions))
    return kept.select(rows.column_names)


def _take_views(texts: pa.ChunkedArray, positions: np.ndarray) -> pa.Array:
    """`texts[positions]` for a string-view array without nulls (Arrow's `take` has no kernel
    for string views): the 16-byte views are gathered, the text buffers shared."""
    array = texts.combine_chunks() if texts.num_chunks != 1 else texts.chunk(0)
    if array.null_count:
        raise ValueError("candidate lines are never NULL")
    _validity, views, *data = array.buffers()
    gathered = np.frombuffer(views, dtype=np.dtype("V16"))[array.offset : array.offset + len(array)][
        positions
    ]
    return pa.Array.from_buffers(
        pa.string_view(), len(gathered), [None, pa.py_buffer(gathered.tobytes()), *data]
    )


def _validate_keys(raw_ids: pa.ChunkedArray) -> pa.Array:
    """Map raw course ids to canonical ones (NULL when invalid)."""
    raw_ids = raw_ids.cast(pa.string())
    distinct = [value for value in pc.unique(raw_ids).to_pylist() if value is not None]
    if not distinct:
        return pa.nulls(len(raw_ids), pa.string())
    canonical = pa.array([canonical_course_id(value) for value in distinct], pa.string())
    return pc.take(canonical, pc.index_in(raw_ids, pa.array(distinct, pa.string())))
