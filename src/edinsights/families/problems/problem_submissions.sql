-- Shared by the problem metrics: server-side problem_check events of signed-in learners, with
-- each learner's first and last submission of each problem marked.
WITH submissions AS (
    SELECT
        course_id,
        problem_id AS module_id,
        user_id,
        time,
        module_display_name,
        problem_success,
        problem_parts,
        problem_tags,
        event_id,
        problem_submission IS NOT NULL AS has_submission,
        -- One ordering serves both ends (a second, descending one would cost another sort).
        row_number() OVER in_order = 1 AS is_first,
        row_number() OVER in_order = count(*) OVER (PARTITION BY course_id, problem_id, user_id) AS is_last
    FROM events
    WHERE event_type = 'problem_check'
        AND event_source = 'server'
        AND course_id IS NOT NULL
        AND user_id IS NOT NULL
        AND problem_id IS NOT NULL
        AND dt <= $date_to
    WINDOW in_order AS (PARTITION BY course_id, problem_id, user_id ORDER BY time, event_id)
),
display_names AS (
    SELECT course_id, module_id, arg_max(module_display_name, time) AS problem_display_name
    FROM submissions
    WHERE module_display_name IS NOT NULL
    GROUP BY course_id, module_id
)
