-- The module's forum events with their course, learner and time: the side table `forum_events`
-- (written at ingest) joined to the stored events. Signed-in learners in a course only, up to
-- $date_to; the week is the activity family's (Monday 00:00 UTC to the next Monday).
WITH forum AS (
    SELECT
        events.course_id,
        events.user_id,
        events.time,
        events.dt,
        CAST(date_trunc('week', events.dt) AS TIMESTAMP) AS week_start,
        side.post_type,
        side.action,
        side.post_id,
        side.thread_id,
        -- Result tables hold ids of up to 255 characters (ids come from browsers).
        left(side.commentable_id, 255) AS commentable_id,
        side.undo_vote
    FROM forum_events AS side
    JOIN events USING (event_id, dt)
    WHERE events.course_id IS NOT NULL AND events.user_id IS NOT NULL AND events.dt <= $date_to
)
