-- Shared by the video and engagement metrics: play, pause, seek and stop events of signed-in
-- learners, with the video named by its block id (browsers send the block id, mobile apps the
-- usage key) and positions outside 0..10 h (negative, non-finite, absurd) made NULL.
WITH video_events AS (
    SELECT
        course_id,
        user_id,
        username,
        CASE
            WHEN contains(video_id, '@') THEN regexp_extract(video_id, '@([^@]+)$', 1)
            WHEN starts_with(video_id, 'i4x://') THEN regexp_extract(video_id, '/([^/]+)$', 1)
            ELSE video_id
        END AS video_block,
        time,
        event_id,
        dt,
        CASE
            WHEN event_type IN ('play_video', 'edx.video.played') THEN 'play'
            WHEN event_type IN ('pause_video', 'edx.video.paused') THEN 'pause'
            WHEN event_type IN ('stop_video', 'edx.video.stopped') THEN 'stop'
            ELSE 'seek'
        END AS action,
        CASE WHEN video_current_time BETWEEN 0 AND 36000 THEN video_current_time END AS position,
        CASE WHEN video_old_time BETWEEN 0 AND 36000 THEN video_old_time END AS old_time,
        CASE WHEN video_new_time BETWEEN 0 AND 36000 THEN video_new_time END AS new_time,
        CASE WHEN video_duration > 0 AND video_duration <= 36000 THEN video_duration END AS duration
    FROM events
    WHERE event_type IN (
            'play_video', 'pause_video', 'seek_video', 'stop_video',
            'edx.video.played', 'edx.video.paused', 'edx.video.position.changed', 'edx.video.stopped'
        )
        AND course_id IS NOT NULL
        AND user_id IS NOT NULL
        AND nullif(video_id, '') IS NOT NULL
        AND dt <= $date_to
)
