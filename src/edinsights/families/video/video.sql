-- Per video: learners in the first segment and in the segment near the end (30 s before the
-- end, or 95% of the way for videos shorter than 10 minutes: whichever is later).
WITH videos AS (
    SELECT course_id, video_block, any_value(duration) AS duration, any_value(viewed_seconds) AS viewed_seconds
    FROM video_segments
    GROUP BY course_id, video_block
)
SELECT
    videos.course_id || '|' || videos.video_block AS pipeline_video_id,
    videos.course_id,
    videos.video_block AS encoded_module_id,
    CAST(ceil(videos.duration) AS INTEGER) AS duration,
    5 AS segment_length,
    CAST(coalesce(at_start.num_users, 0) AS INTEGER) AS users_at_start,
    CAST(coalesce(at_end.num_users, 0) AS INTEGER) AS users_at_end,
    CAST(round(videos.viewed_seconds) AS BIGINT) AS total_viewed_seconds
FROM videos
LEFT JOIN video_segments AS at_start
    ON at_start.course_id = videos.course_id AND at_start.video_block = videos.video_block
    AND at_start.segment = 0
LEFT JOIN video_segments AS at_end
    ON at_end.course_id = videos.course_id AND at_end.video_block = videos.video_block
    AND at_end.segment = CAST(floor(greatest(videos.duration - 30, videos.duration * 0.95) / 5) AS BIGINT)
ORDER BY pipeline_video_id
