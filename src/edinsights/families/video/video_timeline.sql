SELECT
    course_id || '|' || video_block AS pipeline_video_id,
    CAST(segment AS INTEGER) AS segment,
    CAST(num_users AS INTEGER) AS num_users,
    CAST(num_views AS INTEGER) AS num_views
FROM video_segments
ORDER BY pipeline_video_id, segment
