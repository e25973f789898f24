, deltas AS (
    SELECT course_id, date, mode, 1 AS change FROM transitions WHERE enrolled
    UNION ALL
    SELECT course_id, date, mode_before, -1 FROM transitions WHERE enrolled_before
    UNION ALL
    SELECT course_id, date, mode, 1 FROM prelog
),
first_in_mode AS (
    -- The day each learner is first known to be enrolled in a mode: an event naming it while
    -- enrolled (an activation or mode change that leaves them enrolled, a deactivation that
    -- ends their enrollment), or the course's first day for learners enrolled before the logs
    -- began.
    SELECT course_id, user_id, mode, min(date) AS date FROM (
        SELECT course_id, user_id, mode, dt AS date
        FROM event_states
        WHERE enrolled_prior OR enrolled_after
        UNION ALL
        SELECT course_id, user_id, mode, date FROM prelog
    )
    WHERE mode IS NOT NULL
    GROUP BY course_id, user_id, mode
),
changes AS (
    SELECT course_id, date, mode, sum(change) AS change FROM deltas WHERE mode IS NOT NULL GROUP BY course_id, date, mode
),
newcomers AS (SELECT course_id, date, mode, count(*) AS learners FROM first_in_mode GROUP BY course_id, date, mode),
course_modes AS (SELECT DISTINCT course_id, mode FROM enrollment_events WHERE mode IS NOT NULL),
daily AS (
    SELECT d.course_id, d.date, m.mode, coalesce(c.change, 0) AS change, coalesce(n.learners, 0) AS new_learners
    FROM course_days AS d
    JOIN course_modes AS m USING (course_id)
    LEFT JOIN changes AS c ON c.course_id = d.course_id AND c.date = d.date AND c.mode = m.mode
    LEFT JOIN newcomers AS n ON n.course_id = d.course_id AND n.date = d.date AND n.mode = m.mode
)
SELECT
    course_id,
    date,
    mode,
    CAST(sum(change) OVER running AS INTEGER) AS count,
    CAST(sum(new_learners) OVER running AS INTEGER) AS cumulative_count
FROM daily
WINDOW running AS (PARTITION BY course_id, mode ORDER BY date ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
ORDER BY course_id, date, mode
