-- Per course and week: posts by kind, votes cast, distinct posters, and unanswered threads: the
-- threads created that week with no response within 48 hours of their creation, counted once
-- those 48 hours have passed by the end of $date_to (a younger thread may still be answered).
, threads AS (
    SELECT course_id, week_start, post_id, min(time) AS created
    FROM forum
    WHERE post_type = 'thread' AND action = 'created' AND post_id IS NOT NULL
    GROUP BY course_id, week_start, post_id
),
first_responses AS (
    SELECT course_id, thread_id, min(time) AS answered
    FROM forum
    WHERE post_type = 'response' AND action = 'created' AND thread_id IS NOT NULL
    GROUP BY course_id, thread_id
),
unanswered AS (
    SELECT threads.course_id, threads.week_start, count(*) AS unanswered_threads
    FROM threads
    LEFT JOIN first_responses
        ON first_responses.course_id = threads.course_id AND first_responses.thread_id = threads.post_id
    WHERE threads.created + INTERVAL 48 HOUR <= CAST($date_to AS TIMESTAMP) + INTERVAL 1 DAY
        AND (first_responses.answered IS NULL OR first_responses.answered > threads.created + INTERVAL 48 HOUR)
    GROUP BY threads.course_id, threads.week_start
),
weekly AS (
    SELECT
        course_id,
        week_start,
        count(*) FILTER (WHERE action = 'created' AND post_type = 'thread') AS threads,
        count(*) FILTER (WHERE action = 'created' AND post_type = 'response') AS responses,
        count(*) FILTER (WHERE action = 'created' AND post_type = 'comment') AS comments,
        count(*) FILTER (WHERE action = 'voted' AND NOT undo_vote) AS votes,
        count(DISTINCT user_id) FILTER (WHERE action = 'created') AS posters
    FROM forum
    GROUP BY course_id, week_start
)
SELECT
    weekly.course_id,
    weekly.week_start AS interval_start,
    weekly.week_start + INTERVAL 7 DAY AS interval_end,
    CAST(threads AS INTEGER) AS threads,
    CAST(responses AS INTEGER) AS responses,
    CAST(comments AS INTEGER) AS comments,
    CAST(votes AS INTEGER) AS votes,
    CAST(posters AS INTEGER) AS posters,
    CAST(coalesce(unanswered.unanswered_threads, 0) AS INTEGER) AS unanswered_threads
FROM weekly
LEFT JOIN unanswered USING (course_id, week_start)
ORDER BY weekly.course_id, interval_start
