"""Block ids in events, whatever their form, find the structure's block."""

from __future__ import annotations

import pytest

from edinsights.structure.ids import BlockIndex, parse_block_id

HEX = "0123456789abcdef0123456789abcdef"
ROWS = [
    {"block_id": f"block-v1:edX+DemoX+2024+type@video+block@{HEX}", "block_type": "video"},
    {"block_id": "block-v1:edX+DemoX+2024+type@problem+block@p1", "block_type": "problem"},
    {"block_id": "block-v1:edX+DemoX+2024+type@html+block@p1", "block_type": "html"},
    {"block_id": "block-v1:edX+DemoX+2024+type@video+block@intro_video", "block_type": "video"},
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (f"block-v1:edX+DemoX+2024+type@video+block@{HEX}", ROWS[0]["block_id"]),
        (f"i4x://edX/DemoX/video/{HEX}", ROWS[0]["block_id"]),
        (f"i4x-edX-DemoX-video-{HEX}", ROWS[0]["block_id"]),
        (HEX, ROWS[0]["block_id"]),
        (HEX.upper(), ROWS[0]["block_id"]),
        ("block-v1:edX+DemoX+2024+type@problem+block@p1", ROWS[1]["block_id"]),
        ("i4x://edX/DemoX/problem/p1", ROWS[1]["block_id"]),
        ("p1", None),  # a bare name two blocks share: not guessed
        ("intro_video", ROWS[3]["block_id"]),  # an authored id, bare, as the video player sends it
        ("intro video", None),
        ("block-v1:edX+DemoX+2024+type@video+block@unknown", None),
        ("not a key", None),
        ("", None),
    ],
)
def test_any_form_finds_the_block(raw: str, expected: str | None) -> None:
    assert BlockIndex(ROWS).block_id(raw) == expected


def test_ccx_and_old_keys_parse() -> None:
    assert parse_block_id("ccx-block-v1:edX+DemoX+2024+ccx@3+type@problem+block@x1") == ("problem", "x1")
    assert parse_block_id("i4x://edX/DemoX/sequential/s1") == ("sequential", "s1")
    assert parse_block_id("course-v1:edX+DemoX+2024") is None
