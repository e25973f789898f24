-- Per course, over the last 7 days of the computed range: each learner metric of the learners
-- engaged in those days (any `engagement` row), one row per learner and metric. `value` is NULL
-- where the learner does not count for the metric. Names in double braces: vocabulary.py.
, learner_week AS (
    SELECT
        course_id,
        username,
        sum(CASE WHEN entity_type = {{PROBLEM}} AND event = {{ATTEMPTED}} THEN count ELSE 0 END) AS problem_attempts,
        count(DISTINCT CASE WHEN entity_type = {{PROBLEM}} AND event = {{ATTEMPTED}} THEN entity_id END)
            AS problems_attempted,
        count(DISTINCT CASE WHEN entity_type = {{PROBLEM}} AND event = {{COMPLETED}} THEN entity_id END)
            AS problems_completed,
        count(DISTINCT CASE WHEN entity_type = {{VIDEO}} THEN entity_id END) AS videos_viewed,
        sum(CASE WHEN entity_type = {{DISCUSSION}} THEN count ELSE 0 END) AS discussion_contributions
    FROM engagement
    WHERE date > $date_to - INTERVAL 7 DAY
    GROUP BY course_id, username
),
learner_metrics AS (
    SELECT course_id, {{PROBLEM_ATTEMPTS}} AS metric, CAST(problem_attempts AS DOUBLE) AS value FROM learner_week
    UNION ALL
    SELECT course_id, {{PROBLEMS_ATTEMPTED}}, CAST(problems_attempted AS DOUBLE) FROM learner_week
    UNION ALL
    SELECT course_id, {{PROBLEMS_COMPLETED}}, CAST(problems_completed AS DOUBLE) FROM learner_week
    UNION ALL
    -- As in the original: a learner who attempted nothing has no ratio; one who attempted but
    -- completed nothing has an infinite one (and counts).
    SELECT
        course_id,
        {{PROBLEM_ATTEMPTS_PER_COMPLETED}},
        CASE
            WHEN problem_attempts = 0 THEN NULL
            WHEN problems_completed = 0 THEN CAST('Infinity' AS DOUBLE)
            ELSE CAST(problem_attempts AS DOUBLE) / problems_completed
        END
    FROM learner_week
    UNION ALL
    SELECT course_id, {{VIDEOS_VIEWED}}, CAST(videos_viewed AS DOUBLE) FROM learner_week
    UNION ALL
    SELECT course_id, {{DISCUSSION_CONTRIBUTIONS}}, CAST(discussion_contributions AS DOUBLE) FROM learner_week
)
