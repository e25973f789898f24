-- Rules 11 (tags) and 12 (answer parts) as lists, computed only over the rows that have answers
-- or tags: inside the main query they made the whole normalisation 25-45% slower, though problem
-- events are about a tenth of the lines.
WITH problem_rows AS (
    SELECT
        try_cast(CAST(problem_submission AS JSON) AS MAP(VARCHAR, JSON)) AS submission,
        try_cast(CAST(problem_answers AS JSON) AS MAP(VARCHAR, JSON)) AS answers,
        try_cast(CAST(problem_correct_map AS JSON) AS MAP(VARCHAR, JSON)) AS correct_map,
        try_cast(CAST(problem_tags AS JSON) AS MAP(VARCHAR, JSON)) AS tags
    FROM problems
),
decoded AS (
    -- Every JSON value decoded once into text (a list keeps its items), before the text rules.
    SELECT
        CASE
            -- Newer events: one entry per part in `submission`, its choice ids in `answers`.
            WHEN submission IS NOT NULL THEN list_transform(map_entries(submission), lambda part: {
                'part_id': part.key,
                'value': json_items(answers[part.key]),
                'answer': json_items(part.value -> 'answer'),
                -- The answer's text is the course team's (choice labels, authored as HTML) when the
                -- browser sent something else (choice ids); otherwise it is what the learner typed.
                'authored': answers[part.key] IS NOT NULL
                    AND CAST(answers[part.key] AS VARCHAR) <> CAST(part.value -> 'answer' AS VARCHAR),
                'correct': try_cast(part.value ->> 'correct' AS BOOLEAN),
                'variant': nullif(part.value ->> 'variant', ''),
                'question': part.value ->> 'question'
            })
            -- Older events: only `answers` and `correct_map`.
            WHEN answers IS NOT NULL THEN list_transform(map_entries(answers), lambda part: {
                'part_id': part.key,
                'value': json_items(part.value),
                'answer': json_items(part.value),
                'authored': false,  -- choice ids or what the learner typed
                'correct': correct_map[part.key] ->> 'correctness' = 'correct',
                'variant': NULL::VARCHAR,
                'question': NULL::VARCHAR
            })
        END AS parts,
        -- saved_tags maps a tag name to a value or a list of values: one entry per value.
        flatten(list_transform(map_entries(tags), lambda tag: list_transform(
            json_items(tag.value).items, lambda value: {'name': tag.key, 'value': value}
        ))) AS tags
    FROM problem_rows
)
SELECT
    list_transform(parts, lambda part: {
        'part_id': part.part_id,
        'value_id': answer_text(part.value, false),  -- choice ids or what the learner typed
        'answer_value': answer_text(part.answer, part.authored),
        'correct': part.correct,
        'variant': part.variant,
        'question_text': plain_text(part.question)
    }) AS problem_parts,
    tags AS problem_tags
FROM decoded
