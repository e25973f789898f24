-- Per learner, course, day and entity: what the learner did and how often. Problems:
-- `attempted` per attempt (problem_attempts), `completed` per correct one; videos: `viewed`
-- per play; discussions (by topic): `contributed` per created thread, response or comment.
-- Days before $date_from are skipped (an incremental run republishes only later days).
-- Names in double braces are the module's vocabulary.py, rendered in as literals at load.
, engagement_events AS (
    SELECT course_id, username, dt, {{PROBLEM}} AS entity_type, problem_id AS entity_id, {{ATTEMPTED}} AS event
    FROM problem_attempts
    WHERE problem_id IS NOT NULL AND username IS NOT NULL
    UNION ALL
    SELECT course_id, username, dt, {{PROBLEM}}, problem_id, {{COMPLETED}}
    FROM problem_attempts
    WHERE problem_id IS NOT NULL AND username IS NOT NULL AND correct
    UNION ALL
    SELECT course_id, username, dt, {{VIDEO}}, video_block, {{VIEWED}}
    FROM video_events
    WHERE action = 'play' AND username IS NOT NULL AND dt >= $date_from
    UNION ALL
    SELECT course_id, username, dt, {{DISCUSSION}}, forum_commentable_id, {{CONTRIBUTED}}
    FROM events
    WHERE event_source = 'server' AND starts_with(event_type, 'edx.forum.') AND ends_with(event_type, '.created')
        AND forum_commentable_id IS NOT NULL
        AND course_id IS NOT NULL AND username IS NOT NULL AND dt BETWEEN $date_from AND $date_to
),
engagement AS (
    SELECT course_id, username, dt AS date, entity_type, entity_id, event, CAST(count(*) AS INTEGER) AS count
    FROM engagement_events
    GROUP BY course_id, username, dt, entity_type, entity_id, event
)
