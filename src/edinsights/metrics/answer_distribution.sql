-- Per problem part, answer and variant: how many learners gave that answer at their first and
-- at their last submission, and how many submissions gave it in all.
, answers AS (
    SELECT
        course_id,
        module_id,
        time,
        is_first,
        is_last,
        part.part_id AS part_id,
        part.value_id AS value_id,
        part.answer_value AS answer_value,
        part.correct AS correct,
        part.variant AS variant,
        part.question_text AS question_text
    FROM (SELECT *, unnest(problem_parts) AS part FROM submissions) AS parts
),
answer_consistency AS (
    -- Does an answer read and grade the same in every variant where it was given?
    SELECT
        course_id,
        module_id,
        part_id,
        count(DISTINCT coalesce(answer_value, '')) <= 1
            AND count(DISTINCT CAST(correct AS VARCHAR)) <= 1 AS consistent
    FROM answers
    GROUP BY course_id, module_id, part_id, value_id
),
spurious_variants AS (
    -- Parts whose variants differ only in the random seed: same question, and every answer
    -- with the same text and correctness across variants. Their variants are merged.
    SELECT course_id, module_id, part_id
    FROM (
        SELECT course_id, module_id, part_id, count(DISTINCT coalesce(question_text, '')) <= 1 AS same_question
        FROM answers
        GROUP BY course_id, module_id, part_id
    ) AS questions
    JOIN (
        SELECT course_id, module_id, part_id, bool_and(consistent) AS same_answers
        FROM answer_consistency
        GROUP BY course_id, module_id, part_id
    ) AS consistency USING (course_id, module_id, part_id)
    WHERE same_question AND same_answers
),
merged AS (
    SELECT
        answers.* EXCLUDE (variant),
        CASE WHEN spurious_variants.part_id IS NULL THEN answers.variant END AS variant
    FROM answers
    LEFT JOIN spurious_variants USING (course_id, module_id, part_id)
),
questions AS (
    SELECT course_id, module_id, part_id, variant, arg_max(question_text, time) AS question_text
    FROM merged
    WHERE question_text IS NOT NULL
    GROUP BY course_id, module_id, part_id, variant
)
SELECT
    merged.course_id,
    merged.module_id,
    merged.part_id,
    merged.correct,
    CAST(count(*) AS INTEGER) AS count,
    CAST(sum(CASE WHEN is_first THEN 1 ELSE 0 END) AS INTEGER) AS first_response_count,
    CAST(sum(CASE WHEN is_last THEN 1 ELSE 0 END) AS INTEGER) AS last_response_count,
    merged.value_id,
    merged.answer_value,
    merged.variant,
    any_value(display_names.problem_display_name) AS problem_display_name,
    any_value(questions.question_text) AS question_text
FROM merged
LEFT JOIN display_names ON display_names.course_id = merged.course_id AND display_names.module_id = merged.module_id
LEFT JOIN questions
    ON questions.course_id = merged.course_id AND questions.module_id = merged.module_id
    AND questions.part_id = merged.part_id AND questions.variant IS NOT DISTINCT FROM merged.variant
GROUP BY merged.course_id, merged.module_id, merged.part_id, merged.value_id, merged.answer_value,
    merged.variant, merged.correct
ORDER BY merged.course_id, merged.module_id, merged.part_id, merged.variant NULLS FIRST, merged.value_id,
    merged.answer_value, merged.correct
