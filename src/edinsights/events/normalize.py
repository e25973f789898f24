"""Tracking-log lines → event-store rows, in DuckDB.

Each rule of docs/event-store.md ("Normalisation") is one expression below. The JSON is
parsed once per line with `from_json` into a struct of the fields we keep, and once more for
the payload (`event`), which browser events send as a JSON-encoded string. (DuckDB's common
subexpression elimination keeps each parse to one evaluation; materialising the CTEs was
measured slower.)
"""

from __future__ import annotations

import json
from functools import lru_cache
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
ENVELOPE = {
    "time": "VARCHAR",
    "event_type": "VARCHAR",
    "event_source": "VARCHAR",
    "name": "VARCHAR",
    "username": "VARCHAR",
    "session": "VARCHAR",
    "ip": "VARCHAR",
    "agent": "VARCHAR",
    "host": "VARCHAR",
    "page": "VARCHAR",
    "referer": "VARCHAR",
    "accept_language": "VARCHAR",
    "context": {
        "course_id": "VARCHAR",
        "org_id": "VARCHAR",
        "user_id": "VARCHAR",
        "path": "VARCHAR",
        "module": {"usage_key": "VARCHAR", "display_name": "VARCHAR"},
        "asides": {"tagging_aside": {"saved_tags": "JSON"}},
    },
    "event": "JSON",
}

PAYLOAD = {
    "course_id": "VARCHAR",
    "user_id": "VARCHAR",
    "mode": "VARCHAR",
    "id": "VARCHAR",
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

# A course key inside a URL path: `/courses/course-v1:...` (also ccx-v1) or `/courses/Org/Course/Run`.
COURSE_IN_PATH = r"/courses/((?:course-v1|ccx-v1)[:%][^/?#]+|[^/?#]+/[^/?#]+/[^/?#]+)"

NORMALIZE_SQL = """
WITH parsed AS (
    SELECT
        line_no,
        hash(js) AS event_id,
        CASE
            WHEN json_valid(js) THEN NULL
            WHEN suffix(rtrim(js), '}}') THEN 'invalid_json'
            ELSE 'truncated'
        END AS invalid_reason,
        CASE WHEN json_valid(js) THEN from_json(js, '{envelope}') END AS r
    FROM candidates
),
envelopes AS (
    SELECT
        line_no,
        event_id,
        invalid_reason,
        r.time AS time_text,
        r.event_type AS event_type,
        r.event_source AS event_source,
        r.name AS name,
        r.username AS username,
        r.session AS session,
        r.ip AS ip,
        r.agent AS agent,
        r.host AS host,
        r.page AS page,
        r.referer AS referer,
        r.accept_language AS accept_language,
        r.context.course_id AS context_course_id,
        r.context.org_id AS org_id,
        r.context.user_id AS context_user_id,
        r.context.path AS path,
        r.context.module.usage_key AS module_id,
        r.context.module.display_name AS module_display_name,
        r.context.asides.tagging_aside.saved_tags AS tags,
        json_type(r.event) AS event_json_type,
        CASE WHEN json_type(r.event) = 'VARCHAR' THEN r.event ->> '$' ELSE r.event::VARCHAR END AS event_text
    FROM parsed
),
decoded AS (
    SELECT
        * EXCLUDE (event_json_type, event_text),
        CASE
            WHEN event_json_type = 'OBJECT' THEN 'object'
            WHEN event_json_type = 'VARCHAR' AND event_text <> '' THEN 'string'
            WHEN event_json_type IN ('ARRAY', 'BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN') THEN 'other'
        END AS payload_format,
        nullif(event_text, '') AS payload,
        starts_with(event_type, 'edx.course.enrollment.') AS is_enrollment,
        event_type IN ({video_types}) OR starts_with(event_type, 'edx.video.') AS is_video,
        starts_with(event_type, 'edx.forum.') AS is_forum,
        contains(event_type, 'problem') AS is_problem
    FROM envelopes
),
fields AS (
    SELECT
        * EXCLUDE (time_text),
        -- Only the event families whose fields are extracted pay for a second JSON parse.
        CASE WHEN (is_enrollment OR is_video OR is_forum OR is_problem) AND (
            payload_format = 'object'
            OR (payload_format = 'string' AND starts_with(payload, '{{') AND json_valid(payload))
        ) THEN from_json(payload, '{payload}') END AS p,
        time_text,
        try_cast(time_text AS TIMESTAMPTZ)::TIMESTAMP AS parsed_time
    FROM decoded
)
SELECT
    line_no,
    CASE
        WHEN invalid_reason IS NOT NULL THEN invalid_reason
        WHEN time_text IS NULL THEN 'missing_time'
        WHEN parsed_time IS NULL THEN 'invalid_time'
        WHEN nullif(event_type, '') IS NULL THEN 'missing_event_type'
    END AS reject_reason,
    event_id,
    parsed_time AS time,
    event_type,
    lower(nullif(event_source, '')) AS event_source,
    nullif(name, '') AS name,
    CASE WHEN is_enrollment
        THEN coalesce(nullif(p.course_id, ''), nullif(context_course_id, ''))
        ELSE coalesce(nullif(context_course_id, ''), nullif(p.course_id, ''))
    END AS course_candidate,
    CASE WHEN nullif(context_course_id, '') IS NULL AND p.course_id IS NULL THEN coalesce(
        nullif(regexp_extract(path, '{course_in_path}', 1), ''),
        nullif(regexp_extract(page, '{course_in_path}', 1), '')
    ) END AS course_in_url,
    nullif(org_id, '') AS org_id,
    CASE WHEN is_enrollment
        THEN coalesce(try_cast(p.user_id AS BIGINT), try_cast(context_user_id AS BIGINT))
        ELSE try_cast(context_user_id AS BIGINT)
    END AS user_id,
    nullif(username, '') AS username,
    nullif(session, '') AS session,
    nullif(ip, '') AS ip,
    nullif(agent, '') AS agent,
    nullif(host, '') AS host,
    nullif(page, '') AS page,
    nullif(path, '') AS path,
    nullif(referer, '') AS referer,
    nullif(accept_language, '') AS accept_language,
    nullif(module_id, '') AS module_id,
    nullif(module_display_name, '') AS module_display_name,
    CASE WHEN is_enrollment THEN nullif(p.mode, '') END AS enrollment_mode,
    CASE WHEN is_video THEN nullif(p.id, '') END AS video_id,
    CASE WHEN is_video THEN nullif(p.code, '') END AS video_code,
    CASE WHEN is_video THEN try_cast(coalesce(p.currentTime, p.current_time) AS DOUBLE) END
        AS video_current_time,
    CASE WHEN is_video THEN try_cast(p.old_time AS DOUBLE) END AS video_old_time,
    CASE WHEN is_video THEN try_cast(p.new_time AS DOUBLE) END AS video_new_time,
    CASE WHEN is_video THEN try_cast(p.duration AS DOUBLE) END AS video_duration,
    CASE WHEN is_video THEN try_cast(p.new_speed AS DOUBLE) END AS video_speed,
    nullif(p.problem_id, '') AS problem_id,
    try_cast(p.attempts AS INTEGER) AS problem_attempts,
    try_cast(p.grade AS DOUBLE) AS problem_grade,
    try_cast(p.max_grade AS DOUBLE) AS problem_max_grade,
    nullif(p.success, '') AS problem_success,
    p.answers::VARCHAR AS problem_answers,
    p.submission::VARCHAR AS problem_submission,
    p.correct_map::VARCHAR AS problem_correct_map,
    NULL AS problem_parts,  -- filled in by PROBLEM_SQL, over the problem rows only
    tags::VARCHAR AS problem_tags,  -- JSON text until PROBLEM_SQL makes it a list
    CASE WHEN is_forum THEN nullif(p.id, '') END AS forum_post_id,
    CASE WHEN is_forum THEN nullif(p.commentable_id, '') END AS forum_commentable_id,
    CASE WHEN is_forum THEN nullif(p.discussion.id, '') END AS forum_thread_id,
    CASE WHEN is_forum THEN nullif(p.response.id, '') END AS forum_response_id,
    payload,
    payload_format
FROM fields
"""


PROBLEM_TEXT_COLUMNS = ("problem_answers", "problem_submission", "problem_correct_map", "problem_tags")

# Answers as plain text: a list of values becomes `[a|b|c]`; HTML markup is reduced to its text
# (block tags become spaces, inline tags vanish, the common entities are decoded, white space
# is collapsed).
TEXT_MACROS = r"""
CREATE TEMP MACRO plain_text(value) AS nullif(trim(CASE
    -- Most answers are plain already: only markup, entities or runs of white space pay for this.
    WHEN regexp_matches(value, '[<&\t\n\r]|\s\s') THEN regexp_replace(
        replace(replace(replace(replace(replace(replace(
            regexp_replace(
                regexp_replace(value, '</?(p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|pre)\b[^>]*>', ' ', 'gi'),
                '<[^>]*>', '', 'g'),
            '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&'),
        '\s+', ' ', 'g')
    ELSE value
END), '');
CREATE TEMP MACRO json_items(value) AS {
    'list': json_type(value) = 'ARRAY',
    'items': CASE
        WHEN json_type(value) = 'ARRAY' THEN json_extract_string(value, '$[*]')
        ELSE [value ->> '$']
    END
};
CREATE TEMP MACRO answer_text(decoded) AS CASE
    WHEN decoded.list THEN
        '['
        || array_to_string(list_transform(decoded.items, lambda item: coalesce(plain_text(item), '')), '|')
        || ']'
    ELSE plain_text(decoded.items[1])
END;
"""


# Rules 11 (tags) and 12 (answer parts) as lists, computed only over the rows that have answers
# or tags: inside the main query they made the whole normalisation 25-45% slower, though problem
# events are about a tenth of the lines.
PROBLEM_SQL = """
WITH problem_rows AS (
    SELECT
        try_cast(CAST(problem_submission AS JSON) AS MAP(VARCHAR, JSON)) AS submission,
        try_cast(CAST(problem_answers AS JSON) AS MAP(VARCHAR, JSON)) AS answers,
        try_cast(CAST(problem_correct_map AS JSON) AS MAP(VARCHAR, JSON)) AS correct_map,
        try_cast(CAST(problem_tags AS JSON) AS MAP(VARCHAR, JSON)) AS tags
    FROM problems
),
decoded AS (
    -- Every JSON value decoded once into text (a list keeps its items), before the text rules.
    SELECT
        CASE
            -- Newer events: one entry per part in `submission`, its choice ids in `answers`.
            WHEN submission IS NOT NULL THEN list_transform(map_entries(submission), lambda part: {
                'part_id': part.key,
                'value': json_items(answers[part.key]),
                'answer': json_items(part.value -> 'answer'),
                'correct': try_cast(part.value ->> 'correct' AS BOOLEAN),
                'variant': nullif(part.value ->> 'variant', ''),
                'question': part.value ->> 'question'
            })
            -- Older events: only `answers` and `correct_map`.
            WHEN answers IS NOT NULL THEN list_transform(map_entries(answers), lambda part: {
                'part_id': part.key,
                'value': json_items(part.value),
                'answer': json_items(part.value),
                'correct': correct_map[part.key] ->> 'correctness' = 'correct',
                'variant': NULL::VARCHAR,
                'question': NULL::VARCHAR
            })
        END AS parts,
        -- saved_tags maps a tag name to a value or a list of values: one entry per value.
        flatten(list_transform(map_entries(tags), lambda tag: list_transform(
            json_items(tag.value).items, lambda value: {'name': tag.key, 'value': value}
        ))) AS tags
    FROM problem_rows
)
SELECT
    list_transform(parts, lambda part: {
        'part_id': part.part_id,
        'value_id': answer_text(part.value),
        'answer_value': answer_text(part.answer),
        'correct': part.correct,
        'variant': part.variant,
        'question_text': plain_text(part.question)
    }) AS problem_parts,
    tags AS problem_tags
FROM decoded
"""


def _sql() -> str:
    return NORMALIZE_SQL.format(
        envelope=json.dumps(ENVELOPE),
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


def course_org(course_id: str) -> str:
    return CourseKey.from_string(course_id).org


class Normalizer:
    """Normalises Arrow batches of candidate lines with one DuckDB connection."""

    OUTPUT_COLUMNS = tuple(
        column.name for column in EVENTS_COLUMNS if column.name not in {"source_file", "source_line"}
    )

    def __init__(self, threads: int = 1) -> None:
        self._connection = duckdb.connect(config={"threads": threads})
        self._connection.execute("SET TimeZone = 'UTC'")
        # A view parses the long query once; per batch only binding and planning remain
        # (measured 24 -> 14 ms per batch).
        empty = pa.table({"line_no": pa.array([], pa.int64()), "js": pa.array([], pa.string_view())})
        self._connection.register("candidates", empty)
        self._connection.execute(TEXT_MACROS)
        self._connection.execute(f"CREATE TEMP VIEW normalized AS {_sql()}")
        self._connection.unregister("candidates")
        empty_problems = pa.table({name: pa.array([], pa.string()) for name in PROBLEM_TEXT_COLUMNS})
        self._connection.register("problems", empty_problems)
        self._connection.execute(f"CREATE TEMP VIEW problem_lists AS {PROBLEM_SQL}")
        self._connection.unregister("problems")
        self.invalid_course_ids = 0

    def normalize(self, candidates: pa.Table) -> tuple[pa.Table, list[tuple[int, str]]]:
        """Return the stored rows (with `line_no`) and the (line_no, reason) of rejected ones."""
        self._connection.register("candidates", candidates)
        try:
            result = self._connection.sql("SELECT * FROM normalized").to_arrow_table()
        finally:
            self._connection.unregister("candidates")

        reasons = result.column("reject_reason")
        rejected_mask = pc.is_valid(reasons)
        rejected: list[tuple[int, str]] = []
        if pc.any(rejected_mask).as_py():
            bad = result.filter(rejected_mask)
            rejected = list(
                zip(bad.column("line_no").to_pylist(), bad.column("reject_reason").to_pylist(), strict=True)
            )
            result = result.filter(pc.invert(rejected_mask))
        return self._add_problem_lists(self._resolve_courses(result)), rejected

    def _add_problem_lists(self, rows: pa.Table) -> pa.Table:
        """Turn `problem_parts` and `problem_tags` into lists (rules 11-12) where there is anything."""
        selected = pc.or_(
            pc.is_valid(rows.column("problem_answers")), pc.is_valid(rows.column("problem_tags"))
        )
        if not pc.any(selected).as_py():
            return rows.set_column(
                rows.schema.get_field_index("problem_tags"), "problem_tags", pa.nulls(rows.num_rows)
            )
        self._connection.register("problems", rows.filter(selected).select(list(PROBLEM_TEXT_COLUMNS)))
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
        from_url = rows.column("course_in_url")
        course_ids, invalid = _validate_keys(explicit)
        url_course_ids, _ = _validate_keys(from_url)
        # An explicit but invalid id is counted and left NULL; only events without an explicit
        # id fall back to the course named in their URL.
        course_ids = pc.if_else(pc.is_null(explicit), url_course_ids, course_ids)
        self.invalid_course_ids += invalid

        org_ids = rows.column("org_id")
        if pc.any(pc.and_(pc.is_null(org_ids), pc.is_valid(course_ids))).as_py():
            distinct = [value for value in pc.unique(course_ids).to_pylist() if value is not None]
            orgs = pa.array([course_org(value) for value in distinct], pa.string())
            derived = pc.take(orgs, pc.index_in(course_ids, pa.array(distinct, pa.string())))
            org_ids = pc.coalesce(org_ids, derived)

        rows = rows.drop_columns(["reject_reason", "course_candidate", "course_in_url", "org_id"])
        rows = rows.append_column("course_id", course_ids).append_column("org_id", org_ids)
        return rows.select(["line_no", *self.OUTPUT_COLUMNS])


def _validate_keys(raw_ids: pa.ChunkedArray) -> tuple[pa.Array, int]:
    """Map raw course ids to canonical ones (NULL when invalid); count the invalid rows."""
    raw_ids = raw_ids.cast(pa.string())
    distinct = [value for value in pc.unique(raw_ids).to_pylist() if value is not None]
    if not distinct:
        return pa.nulls(len(raw_ids), pa.string()), 0
    canonical = pa.array([canonical_course_id(value) for value in distinct], pa.string())
    resolved = pc.take(canonical, pc.index_in(raw_ids, pa.array(distinct, pa.string())))
    invalid = pc.sum(pc.and_(pc.is_valid(raw_ids), pc.is_null(resolved))).as_py() or 0
    return resolved, invalid
