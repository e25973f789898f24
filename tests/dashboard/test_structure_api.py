"""`courses/{course_id}/structure/`: the imported outline in pre-order, per course, as published."""

from __future__ import annotations

from edinsights.testing import api_client
from tests.dashboard.conftest import Dashboard

FIELDS = [
    "block_id",
    "block_type",
    "display_name",
    "parent_block_id",
    "course_path",
    "sort_idx",
    "graded",
    "format",
    "due",
    "is_orphan",
    "is_dag",
]


def test_the_outline_in_pre_order_with_the_originals_fields(dashboard: Dashboard) -> None:
    from edinsights.structure.models import CourseBlock

    course = dashboard.courses[0]
    response = api_client("structure-reader", [course]).get(f"/api/v0/courses/{course}/structure/")
    assert response.status_code == 200
    body = response.json()
    assert body and all(list(row) == FIELDS for row in body)
    assert [row["sort_idx"] for row in body] == sorted(row["sort_idx"] for row in body)
    assert body[0]["block_type"] == "course" and body[0]["parent_block_id"] is None
    published = CourseBlock.objects.filter(course_id=course)
    assert [row["block_id"] for row in body] == [
        block.block_id for block in published.order_by("sort_idx", "block_id")
    ]
    # A parent comes before its children, and each child's path ends with its parent's name.
    seen = {row["block_id"]: row for row in body}
    position = {row["block_id"]: index for index, row in enumerate(body)}
    for row in body[1:]:
        parent = seen[row["parent_block_id"]]
        assert position[parent["block_id"]] < position[row["block_id"]]
        assert row["course_path"].endswith(parent["display_name"])
    graded = [row for row in body if row["block_type"] == "sequential" and row["graded"]]
    assert graded and all(row["format"] and row["due"] for row in graded)


def test_other_courses_are_404_and_bad_keys_400(dashboard: Dashboard) -> None:
    granted, other = dashboard.courses[0], dashboard.courses[1]
    client = api_client("structure-reader-2", [granted])
    assert client.get(f"/api/v0/courses/{other}/structure/").status_code == 404
    assert client.get("/api/v0/courses/not a key/structure/").status_code == 400
    # A readable course nobody imported has no blocks: an empty list, as every per-course list.
    everything = api_client("structure-reader-3", all_courses=True)
    response = everything.get("/api/v0/courses/course-v1:No+Such+Course/structure/")
    assert (response.status_code, response.json()) == (200, [])
