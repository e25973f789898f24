-- Per problem: submissions, correct submissions, learners who submitted and learners who
-- were correct at least once.
SELECT
    submissions.course_id,
    submissions.module_id,
    any_value(display_names.problem_display_name) AS problem_display_name,
    CAST(count(*) AS INTEGER) AS total_submissions,
    CAST(sum(CASE WHEN problem_success = {{CORRECT}} THEN 1 ELSE 0 END) AS INTEGER) AS correct_submissions,
    CAST(count(DISTINCT user_id) AS INTEGER) AS users,
    CAST(count(DISTINCT CASE WHEN problem_success = {{CORRECT}} THEN user_id END) AS INTEGER) AS users_correct
FROM submissions
LEFT JOIN display_names USING (course_id, module_id)
GROUP BY submissions.course_id, submissions.module_id
ORDER BY submissions.course_id, submissions.module_id
