"""The structure module's metrics: publish the imported outline and grading policy.

They read the structure views the engine makes of the current import (`STRUCTURE_VIEWS`), not
events, so they are recomputed whole whenever the structure or the events changed
(pipeline.tasks: a structure import makes them, and every metric that names a structure view
among its inputs, stale).
"""

from __future__ import annotations

from edinsights.metrics.registry import Metric

STRUCTURE_VIEWS = {
    "structure_blocks": "blocks",
    "structure_courses": "courses",
    "structure_grading_policy": "grading_policy",
}
"""The DuckDB views a metric's SQL may read (name → structure table, docs/structure.md)."""

COURSE_STRUCTURE = Metric(
    name="course_structure",
    inputs=("structure_blocks",),
    sql="""
SELECT course_id, block_id, block_name, block_type, display_name, parent_block_id, sort_idx,
       is_root, is_orphan, is_dag, course_path, graded, format, due, start
FROM structure_blocks
ORDER BY course_id, sort_idx, block_id
""",
    table="course_structure",
    description="Every block of every imported course outline, in pre-order (orphans last).",
)

COURSE_GRADING_POLICY = Metric(
    name="course_grading_policy",
    inputs=("structure_grading_policy",),
    sql="""
SELECT course_id, assignment_type, weight, drop_count, min_count
FROM structure_grading_policy
ORDER BY course_id, assignment_type
""",
    table="course_grading_policy",
    description="Every imported course's assignment types with their weights and drop counts.",
)
