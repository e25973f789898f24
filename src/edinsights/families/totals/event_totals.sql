-- Events and active learners per day, per course and for all events (course_id NULL).
WITH day_events AS (
    SELECT
        course_id,
        dt AS date,
        CASE
            WHEN user_id IS NOT NULL
                AND NOT starts_with(event_type, 'edx.course.enrollment.')
                AND coalesce(event_source, '') <> 'task'
            THEN user_id
        END AS active_user
    FROM events
    WHERE dt <= $date_to AND dt >= $date_from
)
SELECT course_id, date, count(*) AS events, CAST(count(DISTINCT active_user) AS INTEGER) AS active_learners
FROM day_events
WHERE course_id IS NOT NULL
GROUP BY course_id, date
UNION ALL
SELECT NULL, date, count(*), CAST(count(DISTINCT active_user) AS INTEGER)
FROM day_events
GROUP BY date
ORDER BY course_id NULLS FIRST, date
