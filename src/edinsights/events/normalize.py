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

# Tracking-log lines: the JSON object is the event.
LOG_LINES = """
lines AS (
    SELECT
        line_no,
        js,
        hash(js) AS event_id,
        CASE
            WHEN json_valid(js) THEN NULL
            WHEN suffix(rtrim(js), '}}') THEN 'invalid_json'
            ELSE 'truncated'
        END AS invalid_reason,
        CASE WHEN json_valid(js) THEN from_json(js, '{envelope}') END AS r
    FROM candidates
),
parsed AS (
    SELECT
        line_no,
        event_id,
        CASE
            -- Rule 13: a line without `time` that has a key of another format is read again, by
            -- OTHER_FORMAT_LINES; the text search runs only on lines without `time`.
            WHEN r IS NOT NULL AND r.time IS NULL AND regexp_matches(js, '"(timestamp|messageId|receivedAt)"')
                THEN 'other_format'
            ELSE invalid_reason
        END AS invalid_reason,
        NULL::VARCHAR AS line_format,
        r
    FROM lines
)
"""

# Lines without `time` (rule 13): `r` is the tracking-log event the LMS would have written for
# them, field by field as its legacy shim (common/djangoapps/track/shim.py) and Segment webhook
# (track/views/segmentio.py) do. The candidates are valid JSON already.
OTHER_FORMAT_LINES = """
lines AS (
    SELECT line_no, hash(js) AS event_id, from_json(js, '{other_formats}') AS o
    FROM candidates SEMI JOIN timeless USING (line_no)
),
formats AS (
    SELECT
        *,
        CASE
            WHEN o.type IS NOT NULL AND coalesce(o.messageId, o.receivedAt) IS NOT NULL THEN 'segment'
            WHEN o.timestamp IS NOT NULL AND o.data IS NOT NULL THEN 'eventtracking'
        END AS line_format,
        -- Old Android apps named their forum-thread screen event only in its label.
        coalesce(
            o.properties.name,
            CASE WHEN o.properties.label = 'Forum: View Thread' THEN 'edx.bi.app.navigation.screen' END
        ) AS segment_name,
        CASE line_format WHEN 'segment' THEN segment_name ELSE o.name END AS raw_name,
        CASE line_format WHEN 'segment' THEN o.properties.context ELSE o.context END AS app_context
    FROM lines
),
names AS (
    -- The transformer renames edx.video.seeked, and sets a video event's page from the app's link.
    SELECT
        *,
        CASE raw_name {legacy_video_types} END AS legacy_video_type,
        CASE WHEN raw_name = 'edx.video.seeked' THEN 'edx.video.position.changed' ELSE raw_name END
            AS event_name,
        CASE WHEN legacy_video_type IS NOT NULL
            THEN nullif(regexp_extract(app_context.open_in_browser_url, '^(.*)/', 1), '')
        END AS video_page
    FROM formats
),
parsed AS (
    SELECT
        line_no,
        event_id,
        CASE
            WHEN line_format = 'segment' AND (lower(o.type) <> 'track' OR segment_name IS NULL)
                THEN 'segment_message'
        END AS invalid_reason,
        line_format,
        CASE line_format WHEN 'eventtracking' THEN {{
            'time': coalesce(o.context.timestamp, o.timestamp),
            'event_type': coalesce(legacy_video_type, o.context.event_type, o.event_type, o.name),
            'event_source': coalesce(o.context.event_source, 'server'),
            'name': event_name,
            {tracker_request_fields},
            'page': coalesce(video_page, o.context.page),
            'context': {{
                'course_id': o.context.course_id,
                'org_id': o.context.org_id,
                'user_id': o.context.user_id,
                'path': o.context.path,
                'module': o.context.module,
                'asides': o.context.asides
            }},
            -- The shim sends a browser event's payload as a JSON-encoded string, as browsers do.
            'event': CASE
                WHEN o.context.event_source = 'browser' AND json_type(o.data) = 'OBJECT'
                    THEN to_json(o.data::VARCHAR)
                ELSE o.data
            END
        }} WHEN 'segment' THEN {{
            'time': o.timestamp,
            'event_type': coalesce(legacy_video_type, segment_name),
            'event_source': 'mobile',
            'name': event_name,
            'username': o.context.traits.username,
            'session': NULL,
            'ip': o.properties.context.ip,
            'agent': o.context.userAgent,
            'host': NULL,
            'referer': NULL,
            'accept_language': NULL,
            'page': video_page,
            'context': {{
                'course_id': coalesce(o.properties.course_id, o.properties.context.course_id),
                'org_id': o.properties.context.org_id,
                'user_id': o.userId,
                'path': NULL,
                'module': o.properties.context.module,
                'asides': NULL
            }},
            'event': o.properties.data
        }} END AS r
    FROM names
)
"""

NORMALIZE_SQL = """
WITH {lines},
envelopes AS (
    SELECT
        line_no,
        event_id,
        invalid_reason,
        line_format,
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
        -- The other events need only the payload's course id (rule 6): a text search spares
        -- the JSON parse for the many payloads that have none.
        CASE WHEN NOT (is_enrollment OR is_video OR is_forum OR is_problem)
            AND contains(payload, '"course_id"')
            AND (payload_format = 'object' OR (starts_with(payload, '{{') AND json_valid(payload)))
        THEN payload ->> '$.course_id' END AS other_payload_course_id,
        time_text,
        try_cast(time_text AS TIMESTAMPTZ)::TIMESTAMP AS parsed_time
    FROM decoded
),
courses AS (
    SELECT
        *,
        nullif(context_course_id, '') AS context_course,
        nullif(coalesce(p.course_id, other_payload_course_id), '') AS payload_course,
        -- Rule 6's order: the context, then the payload; enrollment events the other way round.
        CASE WHEN is_enrollment
            THEN coalesce(payload_course, context_course)
            ELSE coalesce(context_course, payload_course)
        END AS course_candidate,
        CASE WHEN course_candidate IS NULL OR contains(course_candidate, '%') THEN coalesce(
            nullif(regexp_extract(path, '{course_in_path}', 1), ''),
            nullif(regexp_extract(page, '{course_in_path}', 1), '')
        ) END AS course_in_url
    FROM fields
)
SELECT
    line_no,
    CASE
        WHEN invalid_reason IS NOT NULL THEN invalid_reason
        WHEN time_text IS NULL THEN 'missing_time'
        WHEN parsed_time IS NULL THEN 'invalid_time'
        WHEN nullif(event_type, '') IS NULL THEN 'missing_event_type'
    END AS reject_reason,
    line_format,
    event_id,
    parsed_time AS time,
    event_type,
    lower(nullif(event_source, '')) AS event_source,
    nullif(name, '') AS name,
    course_candidate,
    -- What `course_candidate` falls back to when it is not a valid key (see _resolve_courses):
    -- nothing when the explicit id is plain; when it is absent, the URL's; when it is
    -- URL-encoded, the next source in the order.
    CASE
        WHEN course_candidate IS NULL THEN course_in_url
        WHEN contains(course_candidate, '%') THEN coalesce(
            CASE WHEN course_candidate = context_course THEN payload_course ELSE context_course END,
            course_in_url
        )
    END AS course_fallback,
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
    -- Mobile apps name the video by `module_id`; the LMS's transformer turns that into `id`.
    CASE WHEN is_video THEN nullif(coalesce(p.id, p.module_id), '') END AS video_id,
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
FROM courses
"""


PROBLEM_TEXT_COLUMNS = ("problem_answers", "problem_submission", "problem_correct_map", "problem_tags")

# Answers as text: a list of values becomes `[a|b|c]`, white space is collapsed. Only text the
# course team authored as HTML (choice labels, questions) is reduced to its text (plain_text:
# block tags become spaces, inline tags vanish, the common entities are decoded); what a learner
# typed is kept as typed (typed_text), `<script>alert(1)</script>` included: the dashboard and
# the API escape it where they show it.
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
CREATE TEMP MACRO typed_text(value) AS nullif(trim(CASE
    WHEN regexp_matches(value, '[\t\n\r]|\s\s') THEN regexp_replace(value, '\s+', ' ', 'g')
    ELSE value
END), '');
CREATE TEMP MACRO some_text(value, authored) AS CASE
    WHEN authored THEN plain_text(value)
    ELSE typed_text(value)
END;
CREATE TEMP MACRO json_items(value) AS {
    'list': json_type(value) = 'ARRAY',
    'items': CASE
        WHEN json_type(value) = 'ARRAY' THEN json_extract_string(value, '$[*]')
        ELSE [value ->> '$']
    END
};
CREATE TEMP MACRO answer_text(decoded, authored) AS CASE
    WHEN decoded.list THEN
        '['
        || array_to_string(
            list_transform(decoded.items, lambda item: coalesce(some_text(item, authored), '')), '|'
        )
        || ']'
    ELSE some_text(decoded.items[1], authored)
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
                -- The answer's text is the course team's (choice labels, authored as HTML) when the
                -- browser sent something else (choice ids); otherwise it is what the learner typed.
                'authored': answers[part.key] IS NOT NULL
                    AND CAST(answers[part.key] AS VARCHAR) <> CAST(part.value -> 'answer' AS VARCHAR),
                'correct': try_cast(part.value ->> 'correct' AS BOOLEAN),
                'variant': nullif(part.value ->> 'variant', ''),
                'question': part.value ->> 'question'
            })
            -- Older events: only `answers` and `correct_map`.
            WHEN answers IS NOT NULL THEN list_transform(map_entries(answers), lambda part: {
                'part_id': part.key,
                'value': json_items(part.value),
                'answer': json_items(part.value),
                'authored': false,  -- choice ids or what the learner typed
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
        'value_id': answer_text(part.value, false),  -- choice ids or what the learner typed
        'answer_value': answer_text(part.answer, part.authored),
        'correct': part.correct,
        'variant': part.variant,
        'question_text': plain_text(part.question)
    }) AS problem_parts,
    tags AS problem_tags
FROM decoded
"""


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
        return self._add_problem_lists(self._resolve_courses(rows)), rejected

    def _run(self, view: str) -> tuple[pa.Table, list[tuple[int, str]]]:
        """The rows `view` makes of the candidates: those kept, and the (line_no, reason) of the rest."""
        result = self._connection.sql(f"SELECT * FROM {view}").to_arrow_table()

        rejected_mask = pc.is_valid(result.column("reject_reason"))
        if not pc.any(rejected_mask).as_py():
            return result, []
        bad = result.filter(rejected_mask)
        rejected = list(
            zip(bad.column("line_no").to_pylist(), bad.column("reject_reason").to_pylist(), strict=True)
        )
        return result.filter(pc.invert(rejected_mask)), rejected

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
        return rows.select(["line_no", *self.OUTPUT_COLUMNS])


def _validate_keys(raw_ids: pa.ChunkedArray) -> pa.Array:
    """Map raw course ids to canonical ones (NULL when invalid)."""
    raw_ids = raw_ids.cast(pa.string())
    distinct = [value for value in pc.unique(raw_ids).to_pylist() if value is not None]
    if not distinct:
        return pa.nulls(len(raw_ids), pa.string())
    canonical = pa.array([canonical_course_id(value) for value in distinct], pa.string())
    return pc.take(canonical, pc.index_in(raw_ids, pa.array(distinct, pa.string())))
