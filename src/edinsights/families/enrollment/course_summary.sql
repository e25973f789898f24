-- Per course and mode, from the by-mode daily counts (`mode_daily`, the enrollment_mode_daily
-- query): the count and cumulative count on the last day, and the change over its last 7 days.
SELECT
    course_id,
    CAST(NULL AS VARCHAR) AS catalog_course_title,
    CAST(NULL AS VARCHAR) AS catalog_course,
    CAST(NULL AS TIMESTAMP) AS start_time,
    CAST(NULL AS TIMESTAMP) AS end_time,
    CAST(NULL AS VARCHAR) AS pacing_type,
    CAST(NULL AS VARCHAR) AS availability,
    mode AS enrollment_mode,
    arg_max(count, date) AS count,
    arg_max(cumulative_count, date) AS cumulative_count,
    CAST(
        arg_max(count, date)
        - coalesce(arg_max(count, date) FILTER (WHERE date <= CAST($date_to AS DATE) - INTERVAL 7 DAY), 0)
        AS INTEGER
    ) AS count_change_7_days,
    CAST(NULL AS INTEGER) AS passing_users
FROM mode_daily
GROUP BY course_id, mode
ORDER BY course_id, mode
