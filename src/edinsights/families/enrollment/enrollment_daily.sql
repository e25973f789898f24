, deltas AS (
    SELECT course_id, date, CAST(enrolled AS INTEGER) - CAST(enrolled_before AS INTEGER) AS change
    FROM transitions
    UNION ALL
    SELECT course_id, date, 1 FROM prelog
),
first_enrollments AS (
    -- The day each learner is first known to be enrolled: a day with an activation or that
    -- ends enrolled, or the course's first day for learners enrolled before the logs began.
    SELECT course_id, user_id, min(date) AS date FROM (
        SELECT course_id, user_id, date FROM transitions WHERE enrolled OR activated
        UNION ALL
        SELECT course_id, user_id, date FROM prelog
    )
    GROUP BY course_id, user_id
),
changes AS (SELECT course_id, date, sum(change) AS change FROM deltas GROUP BY course_id, date),
newcomers AS (SELECT course_id, date, count(*) AS learners FROM first_enrollments GROUP BY course_id, date),
daily AS (
    SELECT d.course_id, d.date, coalesce(c.change, 0) AS change, coalesce(n.learners, 0) AS new_learners
    FROM course_days AS d
    LEFT JOIN changes AS c USING (course_id, date)
    LEFT JOIN newcomers AS n USING (course_id, date)
)
SELECT
    course_id,
    date,
    CAST(sum(change) OVER running AS INTEGER) AS count,
    CAST(sum(new_learners) OVER running AS INTEGER) AS cumulative_count
FROM daily
WINDOW running AS (PARTITION BY course_id ORDER BY date ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
ORDER BY course_id, date
