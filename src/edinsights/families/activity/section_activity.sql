-- Per course and section (chapter) of its imported outline: distinct learners who viewed
-- something in the section and who attempted one of its problems (docs/metrics.md,
-- `section_activity`). Courses without an imported outline have no rows. Activity on blocks
-- the outline does not place in a section (deleted since, orphans) is the "(Deleted)" row,
-- `section_block_id` NULL.
--
-- Events name blocks in any id form (docs/structure.md, "Block ids in events"); they are matched
-- to the outline by block type and block name (the id's last part, after its last '@' or '/',
-- lower-cased as BlockIndex does), the type being the id's own or the one the event implies.
, blocks AS (
    -- Every block by its match key; two blocks of one type and name: the first in the outline.
    SELECT blocks.course_id, blocks.block_type, lower(blocks.block_name) AS name_key, in_section.section_id
    FROM structure_blocks AS blocks
    LEFT JOIN in_section USING (course_id, block_id)
    QUALIFY row_number() OVER (
        PARTITION BY blocks.course_id, blocks.block_type, lower(blocks.block_name)
        ORDER BY blocks.sort_idx, blocks.block_id
    ) = 1
),
named AS (
    -- Ids in events: their block type when they carry one, and their block name.
    SELECT
        course_id,
        user_id,
        event_type,
        event_source,
        nullif(coalesce(
            nullif(regexp_extract(module_id, 'type@([^+@]+)\+block@', 1), ''),
            regexp_extract(module_id, '^i4x://[^/]+/[^/]+/([^/]+)/', 1)
        ), '') AS module_type,
        lower(regexp_extract(module_id, '([^@/]+)$', 1)) AS module_name
    FROM events
    WHERE course_id IS NOT NULL AND user_id IS NOT NULL AND dt <= $date_to
        AND (module_id IS NOT NULL OR (event_source = 'server' AND contains(event_type, '/courseware/')))
),
activity AS (
    -- Viewed: a page of the courseware (its URL names the section), a block an event is about
    -- (`context.module`: a problem shown, checked, a hint...), a video played, paused, sought.
    SELECT course_id, user_id, TRUE AS viewed, 'chapter' AS block_type,
        lower(regexp_extract(event_type, '/courseware/([^/?#]+)', 1)) AS name_key
    FROM named
    WHERE event_source = 'server' AND contains(event_type, '/courseware/')
    UNION ALL
    SELECT course_id, user_id, TRUE, module_type, module_name
    FROM named
    WHERE module_type IS NOT NULL AND event_source IN ('server', 'browser', 'mobile')
    UNION ALL
    SELECT course_id, user_id, TRUE, 'video',
        lower(CASE
            WHEN starts_with(video_block, 'i4x-')
                THEN regexp_extract(video_block, '^i4x-[^-/]+-[^-/]+-[^-/]+-(.+)$', 1)
            ELSE video_block
        END)
    FROM video_events
    UNION ALL
    -- Attempted: a problem attempt (the core's rule, as weekly activity's).
    SELECT course_id, user_id, FALSE,
        coalesce(
            nullif(regexp_extract(problem_id, 'type@([^+@]+)\+block@', 1), ''),
            nullif(regexp_extract(problem_id, '^i4x://[^/]+/[^/]+/([^/]+)/', 1), ''),
            'problem'
        ),
        lower(regexp_extract(problem_id, '([^@/]+)$', 1))
    FROM problem_attempts
    WHERE user_id IS NOT NULL AND problem_id IS NOT NULL
),
placed AS (
    SELECT activity.course_id, activity.user_id, activity.viewed, blocks.section_id
    FROM activity
    SEMI JOIN (SELECT DISTINCT course_id FROM structure_blocks) AS outlined USING (course_id)
    LEFT JOIN blocks USING (course_id, block_type, name_key)
),
counts AS (
    SELECT
        course_id,
        section_id,
        count(DISTINCT user_id) AS learners,
        count(DISTINCT user_id) FILTER (WHERE viewed) AS viewed,
        count(DISTINCT user_id) FILTER (WHERE NOT viewed) AS attempted_problem
    FROM placed
    GROUP BY course_id, section_id
),
sections AS (
    SELECT course_id, block_id AS section_id, sort_idx
    FROM structure_blocks
    WHERE block_type = 'chapter' AND NOT is_orphan
)
SELECT course_id, section_block_id, learners, viewed, attempted_problem
FROM (
    SELECT
        sections.course_id,
        sections.section_id AS section_block_id,
        CAST(coalesce(counts.learners, 0) AS INTEGER) AS learners,
        CAST(coalesce(counts.viewed, 0) AS INTEGER) AS viewed,
        CAST(coalesce(counts.attempted_problem, 0) AS INTEGER) AS attempted_problem,
        sections.sort_idx
    FROM sections
    LEFT JOIN counts USING (course_id, section_id)
    UNION ALL
    SELECT course_id, NULL, CAST(learners AS INTEGER), CAST(viewed AS INTEGER),
        CAST(attempted_problem AS INTEGER), NULL
    FROM counts
    WHERE section_id IS NULL
)
ORDER BY course_id, sort_idx NULLS LAST
