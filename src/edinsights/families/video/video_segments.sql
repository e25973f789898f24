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
    WINDOW learner_video AS (PARTITION BY user_id, video_block, course_id ORDER BY time, event_id)
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
        -- Summed as exact decimals (milliseconds): a float sum depends on the order of addition,
        -- and its rounding could differ between two runs over the same data.
        sum(CAST(end_position - start_position AS DECIMAL(18, 3))) AS viewed_seconds
    FROM viewings
    JOIN reported_durations USING (course_id, video_block)
    GROUP BY viewings.course_id, viewings.video_block
),
viewing_segments AS (
    -- Segment i covers [5i, 5i + 5) seconds; a viewing covers each segment it overlaps:
    -- first_segment up to end_segment (exclusive).
    SELECT
        course_id,
        video_block,
        user_id,
        CAST(floor(start_position / 5) AS BIGINT) AS first_segment,
        CAST(ceil(end_position / 5) AS BIGINT) AS end_segment
    FROM viewings
),
learner_runs AS (
    -- Each learner's viewings of a video merged into disjoint runs of segments, so that a
    -- learner counts once in a segment however often they watched it.
    SELECT
        course_id,
        video_block,
        user_id,
        first_segment,
        end_segment,
        sum(starts_run) OVER (
            PARTITION BY user_id, video_block, course_id
            ORDER BY first_segment, end_segment
            ROWS UNBOUNDED PRECEDING
        ) AS run
    FROM (
        SELECT
            *,
            CASE WHEN first_segment <= max(end_segment) OVER (
                PARTITION BY user_id, video_block, course_id
                ORDER BY first_segment, end_segment
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
            ) THEN 0 ELSE 1 END AS starts_run
        FROM viewing_segments
    ) AS marked
),
changes AS (
    -- Where the counts change along the video: +1 where a viewing (or a learner's run) starts,
    -- -1 where it ends. Summed in segment order they give each segment's counts, without
    -- expanding every viewing into its segments.
    SELECT course_id, video_block, segment, sum(views) AS views, sum(users) AS users
    FROM (
        SELECT course_id, video_block, first_segment AS segment, 1 AS views, 0 AS users FROM viewing_segments
        UNION ALL
        SELECT course_id, video_block, end_segment, -1, 0 FROM viewing_segments
        UNION ALL
        SELECT course_id, video_block, min(first_segment), 0, 1
        FROM learner_runs
        GROUP BY course_id, video_block, user_id, run
        UNION ALL
        SELECT course_id, video_block, max(end_segment), 0, -1
        FROM learner_runs
        GROUP BY course_id, video_block, user_id, run
    ) AS steps
    GROUP BY course_id, video_block, segment
),
segment_grid AS (
    SELECT course_id, video_block, unnest(range(first_segment, last_end)) AS segment
    FROM (
        SELECT course_id, video_block, min(segment) AS first_segment, max(segment) AS last_end
        FROM changes
        GROUP BY course_id, video_block
    ) AS extents
),
running AS (
    SELECT
        segment_grid.course_id,
        segment_grid.video_block,
        segment_grid.segment,
        sum(coalesce(changes.users, 0)) OVER along AS num_users,
        sum(coalesce(changes.views, 0)) OVER along AS num_views
    FROM segment_grid
    LEFT JOIN changes
        ON changes.course_id = segment_grid.course_id
        AND changes.video_block = segment_grid.video_block
        AND changes.segment = segment_grid.segment
    WINDOW along AS (
        PARTITION BY segment_grid.course_id, segment_grid.video_block
        ORDER BY segment_grid.segment
        ROWS UNBOUNDED PRECEDING
    )
),
timeline AS (
    SELECT course_id, video_block, segment, num_users, num_views FROM running WHERE num_views > 0
)
-- The shared intermediate `video_segments`: each segment's counts with its video's figures.
SELECT
    timeline.course_id,
    timeline.video_block,
    videos.duration,
    videos.viewed_seconds,
    timeline.segment,
    timeline.num_users,
    timeline.num_views
FROM timeline
JOIN videos USING (course_id, video_block)
