-- Weekly activity: distinct learners per course, week (Monday 00:00 UTC to the next Monday)
-- and kind of activity. The labels are the vocabulary's (vocabulary.py), rendered in when
-- the metric is declared.
, activity AS (
    SELECT
        course_id,
        user_id,
        CAST(date_trunc('week', dt) AS TIMESTAMP) AS week_start,
        event_type,
        event_source
    FROM events
    WHERE course_id IS NOT NULL AND user_id IS NOT NULL AND dt <= $date_to AND dt >= $date_from
),
labelled AS (
    SELECT course_id, week_start, user_id, {{ label_active }} AS label
    FROM activity
    WHERE NOT starts_with(event_type, 'edx.course.enrollment.') AND coalesce(event_source, '') <> 'task'
    UNION ALL
    SELECT course_id, CAST(date_trunc('week', dt) AS TIMESTAMP), user_id, {{ label_attempted_problem }}
    FROM problem_attempts
    WHERE user_id IS NOT NULL
    UNION ALL
    SELECT course_id, week_start, user_id, {{ label_played_video }}
    FROM activity
    WHERE event_type = 'play_video' AND event_source IN ('browser', 'mobile')
    UNION ALL
    SELECT course_id, week_start, user_id, {{ label_posted_forum }}
    FROM activity
    WHERE event_source = 'server' AND starts_with(event_type, 'edx.forum.') AND ends_with(event_type, '.created')
)
SELECT
    course_id,
    week_start AS interval_start,
    week_start + INTERVAL 7 DAY AS interval_end,
    label,
    CAST(count(DISTINCT user_id) AS INTEGER) AS count
FROM labelled
GROUP BY course_id, week_start, label
ORDER BY course_id, interval_start, label
