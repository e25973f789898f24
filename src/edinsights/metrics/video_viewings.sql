-- Viewings: a play opens one (of a burst of plays the last wins; a play right after a seek
-- starts at the seek's target, because players report the position before the seek); the next
-- pause or stop closes it at its position, a seek at the position it left. Viewings with a bad
-- position, shorter than 0.25 s, ending before they start or beyond the known duration + 1 s
-- are discarded. A video's duration: the longest its player reported, else (never reported)
-- estimated as the furthest position any viewing reached.
, sequenced AS (
    SELECT
        course_id,
        user_id,
        video_block,
        action,
        position,
        old_time,
        lag(action) OVER learner_video AS previous_action,
        lag(position) OVER learner_video AS previous_position,
        lag(action, 2) OVER learner_video AS before_previous_action,
        lag(new_time, 2) OVER learner_video AS before_previous_new_time
    FROM video_events
    WINDOW learner_video AS (PARTITION BY course_id, user_id, video_block ORDER BY time, event_id)
),
spans AS (
    SELECT
        course_id,
        user_id,
        video_block,
        CASE WHEN before_previous_action = 'seek' THEN before_previous_new_time ELSE previous_position END
            AS start_position,
        CASE WHEN action = 'seek' THEN old_time ELSE position END AS end_position
    FROM sequenced
    WHERE previous_action = 'play' AND action <> 'play'
),
reported_durations AS (
    SELECT course_id, video_block, max(duration) AS duration
    FROM video_events
    GROUP BY course_id, video_block
),
viewings AS (
    SELECT spans.course_id, spans.user_id, spans.video_block, start_position, end_position
    FROM spans
    JOIN reported_durations USING (course_id, video_block)
    WHERE start_position IS NOT NULL
        AND end_position IS NOT NULL
        AND end_position - start_position >= 0.25
        AND (reported_durations.duration IS NULL OR end_position <= reported_durations.duration + 1)
),
videos AS (
    SELECT
        viewings.course_id,
        viewings.video_block,
        coalesce(max(reported_durations.duration), max(end_position)) AS duration,
        sum(end_position - start_position) AS viewed_seconds
    FROM viewings
    JOIN reported_durations USING (course_id, video_block)
    GROUP BY viewings.course_id, viewings.video_block
),
timeline AS (
    -- Segment i covers [5i, 5i + 5) seconds; a viewing covers each segment it overlaps.
    SELECT
        course_id,
        video_block,
        segment,
        count(DISTINCT user_id) AS num_users,
        count(*) AS num_views
    FROM (
        SELECT
            course_id,
            video_block,
            user_id,
            unnest(range(CAST(floor(start_position / 5) AS BIGINT), CAST(ceil(end_position / 5) AS BIGINT)))
                AS segment
        FROM viewings
    ) AS covered
    GROUP BY course_id, video_block, segment
)
