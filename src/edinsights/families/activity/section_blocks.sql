-- The head of section_activity.sql (metrics.py joins them around the shared video events and
-- problem attempts): WITH RECURSIVE must open the statement.
WITH RECURSIVE in_section AS (
    -- Every block under a section, with that section (the nearest chapter above it).
    SELECT course_id, block_id, block_id AS section_id
    FROM structure_blocks
    WHERE block_type = 'chapter' AND NOT is_orphan
    UNION ALL
    SELECT child.course_id, child.block_id, parent.section_id
    FROM structure_blocks AS child
    JOIN in_section AS parent
        ON child.course_id = parent.course_id AND child.parent_block_id = parent.block_id
    WHERE child.block_type <> 'chapter'
)
