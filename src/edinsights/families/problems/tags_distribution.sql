-- Per problem and tag value: the problem's submissions and correct submissions. A problem's
-- tags are those of its latest submission that carried any (tags can be edited); problems
-- never seen with tags have no rows.
, latest_tags AS (
    SELECT course_id, module_id, arg_max(problem_tags, time) AS tags
    FROM submissions
    WHERE problem_tags IS NOT NULL
    GROUP BY course_id, module_id
),
totals AS (
    SELECT
        course_id,
        module_id,
        count(*) AS total_submissions,
        sum(CASE WHEN problem_success = {{CORRECT}} THEN 1 ELSE 0 END) AS correct_submissions
    FROM submissions
    GROUP BY course_id, module_id
)
SELECT DISTINCT
    course_id,
    module_id,
    tag.name AS tag_name,
    tag.value AS tag_value,
    CAST(total_submissions AS INTEGER) AS total_submissions,
    CAST(correct_submissions AS INTEGER) AS correct_submissions
FROM (SELECT course_id, module_id, unnest(tags) AS tag FROM latest_tags) AS tagged
JOIN totals USING (course_id, module_id)
WHERE tag.value IS NOT NULL
ORDER BY course_id, module_id, tag_name, tag_value
