-- Per course, over the last 7 days of the computed range: each learner metric of the learners
-- engaged in those days, split at its 15th and 85th percentiles (linear interpolation) into
-- low, normal and high ranges.
, learner_week AS (
    SELECT
        course_id,
        username,
        sum(CASE WHEN entity_type = 'problem' AND event = 'attempted' THEN count ELSE 0 END) AS problem_attempts,
        count(DISTINCT CASE WHEN entity_type = 'problem' AND event = 'attempted' THEN entity_id END)
            AS problems_attempted,
        count(DISTINCT CASE WHEN entity_type = 'problem' AND event = 'completed' THEN entity_id END)
            AS problems_completed,
        count(DISTINCT CASE WHEN entity_type = 'video' THEN entity_id END) AS videos_viewed,
        sum(CASE WHEN entity_type = 'discussion' THEN count ELSE 0 END) AS discussion_contributions
    FROM engagement
    WHERE date > $date_to - INTERVAL 7 DAY
    GROUP BY course_id, username
),
learner_metrics AS (
    SELECT course_id, 'problem_attempts' AS metric, CAST(problem_attempts AS DOUBLE) AS value FROM learner_week
    UNION ALL
    SELECT course_id, 'problems_attempted', CAST(problems_attempted AS DOUBLE) FROM learner_week
    UNION ALL
    SELECT course_id, 'problems_completed', CAST(problems_completed AS DOUBLE) FROM learner_week
    UNION ALL
    -- Only learners who completed a problem have a ratio.
    SELECT course_id, 'problem_attempts_per_completed', problem_attempts / problems_completed
    FROM learner_week
    WHERE problems_completed > 0
    UNION ALL
    SELECT course_id, 'videos_viewed', CAST(videos_viewed AS DOUBLE) FROM learner_week
    UNION ALL
    SELECT course_id, 'discussion_contributions', CAST(discussion_contributions AS DOUBLE) FROM learner_week
),
percentiles AS (
    SELECT
        course_id,
        metric,
        min(value) AS lowest,
        quantile_cont(value, 0.15) AS p15,
        quantile_cont(value, 0.85) AS p85,
        max(value) AS highest
    FROM learner_metrics
    GROUP BY course_id, metric
)
SELECT
    course_id,
    CAST($date_to - INTERVAL 6 DAY AS DATE) AS start_date,
    CAST($date_to + INTERVAL 1 DAY AS DATE) AS end_date,
    metric,
    range_type,
    low_value,
    high_value
FROM (
    SELECT course_id, metric, 'low' AS range_type, lowest AS low_value, p15 AS high_value FROM percentiles
    UNION ALL
    SELECT course_id, metric, 'normal', p15, p85 FROM percentiles
    UNION ALL
    SELECT course_id, metric, 'high', p85, highest FROM percentiles
) AS ranges
ORDER BY course_id, metric, CASE range_type WHEN 'low' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END
