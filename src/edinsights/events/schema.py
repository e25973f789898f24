"""The event-store tables: one place that names every column, its type and its meaning.

docs/event-store.md documents the same columns; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    """DuckDB type; Parquet types follow from it."""
    description: str


PROBLEM_PARTS_TYPE = (
    "STRUCT(part_id VARCHAR, value_id VARCHAR, answer_value VARCHAR, correct BOOLEAN, variant VARCHAR, "
    "question_text VARCHAR)[]"
)
PROBLEM_TAGS_TYPE = "STRUCT(name VARCHAR, value VARCHAR)[]"

EVENTS_COLUMNS: tuple[Column, ...] = (
    Column("event_id", "UBIGINT", "DuckDB's 64-bit hash of the event's JSON text (see Identity)."),
    Column("time", "TIMESTAMP", "When the event happened, in UTC (microseconds)."),
    Column("event_type", "VARCHAR", "The event's `event_type` (for page views, the URL path)."),
    Column("event_source", "VARCHAR", "`server`, `browser`, `mobile` or `task`, lower-cased."),
    Column("name", "VARCHAR", "The top-level `name` that newer events carry."),
    Column("course_id", "VARCHAR", "Validated course key in its canonical form, or NULL."),
    Column("org_id", "VARCHAR", "`context.org_id`, else the organisation of the course key."),
    Column("user_id", "BIGINT", "The learner's numeric id (see the rules for enrollment events)."),
    Column("username", "VARCHAR", "The top-level `username` (the acting user)."),
    Column("session", "VARCHAR", "The browser session key, when present."),
    Column("ip", "VARCHAR", "The client IP address."),
    Column("agent", "VARCHAR", "The client's user agent."),
    Column("host", "VARCHAR", "The LMS host name that logged the event."),
    Column("page", "VARCHAR", "The page URL of browser events."),
    Column("path", "VARCHAR", "`context.path`: the URL path of the request that emitted the event."),
    Column("referer", "VARCHAR", "The HTTP referer."),
    Column("accept_language", "VARCHAR", "The HTTP Accept-Language header."),
    Column("module_id", "VARCHAR", "`context.module.usage_key`: the XBlock the event is about."),
    Column("module_display_name", "VARCHAR", "`context.module.display_name`."),
    Column("enrollment_mode", "VARCHAR", "Enrollment events: the mode (`audit`, `verified`, ...)."),
    Column("video_id", "VARCHAR", "Video events: the video's id as the player reports it."),
    Column("video_code", "VARCHAR", "Video events: `html5`, `mobile`, `hls` or the YouTube id."),
    Column("video_current_time", "DOUBLE", "Video events: the position in seconds (`currentTime`)."),
    Column("video_old_time", "DOUBLE", "`seek_video`: the position before the seek."),
    Column("video_new_time", "DOUBLE", "`seek_video`: the position after the seek."),
    Column("video_duration", "DOUBLE", "Video events: the video's length in seconds, when reported."),
    Column("video_speed", "DOUBLE", "`speed_change_video`: the new playback speed."),
    Column("problem_id", "VARCHAR", "Problem events: the problem's usage key."),
    Column("problem_attempts", "INTEGER", "Problem events: the attempt number."),
    Column("problem_grade", "DOUBLE", "Problem events: the grade earned."),
    Column("problem_max_grade", "DOUBLE", "Problem events: the maximum grade."),
    Column("problem_success", "VARCHAR", "Problem events: `correct` or `incorrect`."),
    Column("problem_answers", "VARCHAR", "Problem events: `answers`, as JSON text."),
    Column("problem_submission", "VARCHAR", "Problem events: `submission`, as JSON text."),
    Column("problem_correct_map", "VARCHAR", "Problem events: `correct_map`, as JSON text."),
    Column(
        "problem_parts",
        PROBLEM_PARTS_TYPE,
        "Problem events: one entry per answered part (see the rules), for the answer metrics.",
    ),
    Column(
        "problem_tags",
        PROBLEM_TAGS_TYPE,
        "`context.asides.tagging_aside.saved_tags`: one (name, value) entry per tag value.",
    ),
    Column("forum_post_id", "VARCHAR", "Forum events: the id of the thread, response or comment."),
    Column("forum_commentable_id", "VARCHAR", "Forum events: the discussion topic."),
    Column("forum_thread_id", "VARCHAR", "Forum responses and comments: the thread they belong to."),
    Column("forum_response_id", "VARCHAR", "Forum comments: the response they belong to."),
    Column("payload", "VARCHAR", "The `event` field: JSON text when it decodes, else the raw string."),
    Column(
        "payload_format",
        "VARCHAR",
        "`object`, `string`, `other` (array, number), or NULL when absent or empty.",
    ),
    Column(
        "raw",
        "VARCHAR",
        "The event's whole JSON text as the LMS wrote it (the line without its prefix); NULL in "
        "files written before this column.",
    ),
    Column("source_file", "VARCHAR", "The log file the event was first ingested from."),
    Column("source_line", "BIGINT", "Its line number in that file (1-based)."),
)

QUARANTINE_COLUMNS: tuple[Column, ...] = (
    Column("source_file", "VARCHAR", "The log file the line came from."),
    Column("line_no", "BIGINT", "The line's number in that file (1-based)."),
    Column("reason", "VARCHAR", "Why the line was not stored (see the rejection reasons)."),
    Column("line", "VARCHAR", "The line itself, cut to 64 KiB."),
)

REJECTION_REASONS: dict[str, str] = {
    "empty": "the line is empty or only white space",
    "not_json": "the line contains no JSON object",
    "truncated": "the JSON object is cut off (the line ends before the object closes)",
    "invalid_json": "the JSON object is malformed",
    "missing_time": "the event has no `time`",
    "invalid_time": "`time` is not an ISO-8601 timestamp",
    "missing_event_type": "the event has no `event_type`",
    "segment_message": "a Segment message that is not an edX event (not a `track`, or no `properties.name`)",
    "too_long": "the line is longer than 8 MiB",
}
