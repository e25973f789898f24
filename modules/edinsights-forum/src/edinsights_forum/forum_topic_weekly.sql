-- Per course, week and topic (`commentable_id`): posts by kind, votes cast and distinct
-- posters. Events without a topic have no row here (they count in forum_activity_weekly).
SELECT
    course_id,
    week_start AS interval_start,
    week_start + INTERVAL 7 DAY AS interval_end,
    commentable_id,
    CAST(count(*) FILTER (WHERE action = 'created' AND post_type = 'thread') AS INTEGER) AS threads,
    CAST(count(*) FILTER (WHERE action = 'created' AND post_type = 'response') AS INTEGER) AS responses,
    CAST(count(*) FILTER (WHERE action = 'created' AND post_type = 'comment') AS INTEGER) AS comments,
    CAST(count(*) FILTER (WHERE action = 'voted' AND NOT undo_vote) AS INTEGER) AS votes,
    CAST(count(DISTINCT user_id) FILTER (WHERE action = 'created') AS INTEGER) AS posters
FROM forum
WHERE commentable_id IS NOT NULL AND dt >= $date_from
GROUP BY course_id, week_start, commentable_id
ORDER BY course_id, interval_start, commentable_id
