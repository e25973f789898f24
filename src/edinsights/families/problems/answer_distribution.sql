-- Per problem part, answer and variant: how many learners gave that answer at their first and
-- at their last submission, and how many submissions gave it in all. Older events (`answers`
-- and `correct_map` only) and newer ones (with `submission`) meet in the same rows.
, seeds AS (
    -- Older events carry no variant per part: their problem's random seed stands in, read from
    -- the payload (the one JSON read in metric SQL: a column for it would change the store's
    -- format, for a field only the oldest events need). A scan of its own, so that only older
    -- events pay for reading the payload.
    SELECT time, event_id, payload ->> '$.state.seed' AS seed
    FROM events
    WHERE event_type = 'problem_check'
        AND event_source = 'server'
        AND problem_submission IS NULL
        AND payload_format = 'object'
        AND dt <= $date_to
),
attempts AS (
    SELECT
        course_id,
        module_id,
        part.part_id AS part_id,
        (time, event_id) AS submitted,  -- the order of submissions (as for is_first / is_last)
        is_first,
        is_last,
        has_submission,
        -- The answer as the browser sent it (`answers`), the same in both formats: the key.
        coalesce(part.value_id, part.answer_value) AS answer,
        -- Only newer events carry the answer's text; a choice is an answer whose text differs.
        CASE WHEN has_submission THEN part.answer_value END AS text,
        has_submission AND part.value_id IS NOT NULL AND part.value_id IS DISTINCT FROM part.answer_value
            AS is_choice,
        -- Missing or empty is the default variant 1, the seed of problems that are not randomised.
        coalesce(CASE WHEN has_submission THEN part.variant ELSE nullif(seed, '') END, '1') AS variant,
        part.correct AS correct,
        part.question_text AS question_text
    FROM (SELECT *, unnest(problem_parts) AS part FROM submissions) AS parts
    LEFT JOIN seeds USING (time, event_id)
    -- As in the original: hidden inputs are no answers, nor are older events' parts that are
    -- missing from `correct_map` (the LMS logged the choices offered there, not an answer).
    WHERE NOT (suffix(part.part_id, '_dynamath') OR suffix(part.part_id, '_comment'))
        AND (has_submission OR part.correct IS NOT NULL)
),
grouped AS (
    SELECT
        course_id,
        module_id,
        part_id,
        answer,
        variant,
        count(*) AS count,
        count(*) FILTER (WHERE is_first) AS first_response_count,
        count(*) FILTER (WHERE is_last) AS last_response_count,
        -- The latest attempt speaks for the answer: its grading, and the latest text logged.
        arg_max(correct, submitted) AS correct,
        bool_or(has_submission) AS has_text,
        arg_max(text, submitted) FILTER (WHERE has_submission) AS text,
        arg_max(is_choice, submitted) FILTER (WHERE has_submission) AS is_choice
    FROM attempts
    GROUP BY course_id, module_id, part_id, answer, variant
),
choice_parts AS (
    -- Whether a part takes choices, as its latest newer event says: an older event's answer
    -- may be a choice id or typed text.
    SELECT course_id, module_id, part_id, arg_max(is_choice, submitted) AS takes_choices
    FROM attempts
    WHERE has_submission
    GROUP BY course_id, module_id, part_id
),
questions AS (
    SELECT course_id, module_id, part_id, variant, arg_max(question_text, submitted) AS question_text
    FROM attempts
    WHERE question_text IS NOT NULL
    GROUP BY course_id, module_id, part_id, variant
),
labelled AS (
    -- What the reader sees: the choice id of choice answers, and the answer's text; an answer
    -- known only from older events is its own text unless the part takes choices.
    SELECT
        kinds.* EXCLUDE (has_text, text, is_choice, choice),
        CASE WHEN choice THEN answer END AS value_id,
        CASE WHEN has_text THEN text WHEN NOT choice THEN answer END AS answer_value,
        questions.question_text
    FROM (
        SELECT grouped.*, coalesce(grouped.is_choice, choice_parts.takes_choices, false) AS choice
        FROM grouped
        LEFT JOIN choice_parts USING (course_id, module_id, part_id)
    ) AS kinds
    LEFT JOIN questions USING (course_id, module_id, part_id, variant)
),
spurious_variants AS (
    -- Parts whose variants differ only in the random seed: the same question, and every answer
    -- read and graded alike in every variant (NULL, unknown, contradicts nothing). Their
    -- variants are merged; so is a part's single variant.
    SELECT course_id, module_id, part_id
    FROM labelled
    GROUP BY course_id, module_id, part_id
    HAVING count(DISTINCT question_text) <= 1
    INTERSECT
    SELECT course_id, module_id, part_id
    FROM (
        SELECT
            course_id,
            module_id,
            part_id,
            count(DISTINCT value_id) <= 1 AND count(DISTINCT answer_value) <= 1
                AND count(DISTINCT correct) <= 1 AS alike
        FROM labelled
        GROUP BY course_id, module_id, part_id, answer
    ) AS answers
    GROUP BY course_id, module_id, part_id
    HAVING bool_and(alike)
),
merged AS (
    SELECT
        labelled.* EXCLUDE (variant),
        CASE WHEN spurious_variants.part_id IS NULL THEN labelled.variant END AS variant
    FROM labelled
    LEFT JOIN spurious_variants USING (course_id, module_id, part_id)
)
SELECT
    merged.course_id,
    merged.module_id,
    merged.part_id,
    -- Merged rows agree on these (or leave them unknown): max picks the known value.
    max(merged.correct) AS correct,
    CAST(sum(merged.count) AS INTEGER) AS count,
    CAST(sum(merged.first_response_count) AS INTEGER) AS first_response_count,
    CAST(sum(merged.last_response_count) AS INTEGER) AS last_response_count,
    max(merged.value_id) AS value_id,
    max(merged.answer_value) AS answer_value,
    merged.variant,
    any_value(display_names.problem_display_name) AS problem_display_name,
    max(merged.question_text) AS question_text
FROM merged
LEFT JOIN display_names ON display_names.course_id = merged.course_id AND display_names.module_id = merged.module_id
GROUP BY merged.course_id, merged.module_id, merged.part_id, merged.answer, merged.variant
ORDER BY merged.course_id, merged.module_id, merged.part_id, merged.variant NULLS FIRST,
    merged.answer NULLS FIRST
