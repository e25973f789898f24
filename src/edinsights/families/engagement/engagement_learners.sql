-- Per course, over the last 7 days of the computed range: each learner metric of the learners
-- engaged in those days (any `engagement` row), one row per learner and metric. `value` is NULL
-- where the learner does not count for the metric.
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
    -- As in the original: a learner who attempted nothing has no ratio; one who attempted but
    -- completed nothing has an infinite one (and counts).
    SELECT
        course_id,
        'problem_attempts_per_completed',
        CASE
            WHEN problem_attempts = 0 THEN NULL
            WHEN problems_completed = 0 THEN CAST('Infinity' AS DOUBLE)
            ELSE CAST(problem_attempts AS DOUBLE) / problems_completed
        END
    FROM learner_week
    UNION ALL
    SELECT course_id, 'videos_viewed', CAST(videos_viewed AS DOUBLE) FROM learner_week
    UNION ALL
    SELECT course_id, 'discussion_contributions', CAST(discussion_contributions AS DOUBLE) FROM learner_week
)
