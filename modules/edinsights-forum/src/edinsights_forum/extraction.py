"""The forum events' fields this module needs, in its own side table `forum_events`.

Written at ingest, back-filled from the stored events when the module is added to a store that
already has them (edinsights.events.extraction). Read from the event's payload as the LMS logs
it (lms/djangoapps/discussion, `track_*_created_event` and `track_voted_event`):

- threads: `id`, `commentable_id`;
- responses: `id`, `discussion.id` (the thread), `commentable_id`;
- comments: `id`, `discussion.id`, `response.id` (the response commented on), `commentable_id`;
- votes (`edx.forum.thread.voted`, `edx.forum.response.voted`): `id` (the post voted on),
  `commentable_id`, `vote_value` (`up`/`down`), `undo_vote`.
"""

from __future__ import annotations

from edinsights.events.extraction import Extraction

POST_TYPES = ("thread", "response", "comment")
EVENT_TYPES = (
    *(f"edx.forum.{post_type}.created" for post_type in POST_TYPES),
    "edx.forum.thread.voted",
    "edx.forum.response.voted",
)

FORUM_EVENTS = Extraction(
    module="forum",
    table="forum_events",
    columns={
        "post_type": "VARCHAR",
        "action": "VARCHAR",
        "post_id": "VARCHAR",
        "thread_id": "VARCHAR",
        "response_id": "VARCHAR",
        "commentable_id": "VARCHAR",
        "vote_value": "VARCHAR",
        "undo_vote": "BOOLEAN",
    },
    sql="""
SELECT
    event_id,
    split_part(event_type, '.', 3) AS post_type,
    split_part(event_type, '.', 4) AS action,
    nullif(payload ->> '$.id', '') AS post_id,
    CASE
        WHEN event_type = 'edx.forum.thread.created' THEN nullif(payload ->> '$.id', '')
        ELSE nullif(payload ->> '$.discussion.id', '')
    END AS thread_id,
    nullif(payload ->> '$.response.id', '') AS response_id,
    nullif(payload ->> '$.commentable_id', '') AS commentable_id,
    payload ->> '$.vote_value' AS vote_value,
    coalesce(TRY_CAST(payload ->> '$.undo_vote' AS BOOLEAN), false) AS undo_vote
FROM events
""",
    event_types=EVENT_TYPES,
    # Server events only (as the LMS emits them); a payload that is no JSON object has no fields.
    where="event_source = 'server' AND payload_format = 'object'",
)
