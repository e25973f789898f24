"""Video viewings, timelines and per-video figures: one rule or edge case per test, on every backend."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import event_line, published

COURSE = "course-v1:edX+DemoX+2024"
BLOCK = "0b9e39477cf34507a7a48f74be381fdd"
USAGE_KEY = f"block-v1:edX+DemoX+2024+type@video+block@{BLOCK}"
VIDEO = f"{COURSE}|{BLOCK}"


def video(minute: int, user: int, event_type: str, source: str = "browser", **payload: object) -> str:
    """A video event at 10:<minute> on 2024-01-04; `payload` adds position fields."""
    video_id = USAGE_KEY if source == "mobile" else BLOCK
    return event_line(
        time=f"2024-01-04T10:{minute:02d}:00Z",
        event_type=event_type,
        event_source=source,
        context={"course_id": COURSE, "user_id": user, "path": "/event"},
        event={"id": video_id, "code": "html5", **payload},
    )


def timeline(tmp_path: Path, lines: list[str], using: str) -> dict[int, tuple[int, int]]:
    """segment → (num_users, num_views) of the one video."""
    rows = published(tmp_path, lines, "video_timeline", using)
    assert {row["pipeline_video_id"] for row in rows} <= {VIDEO}
    return {row["segment"]: (row["num_users"], row["num_views"]) for row in rows}


def summary(tmp_path: Path, lines: list[str], using: str) -> dict:
    [row] = published(tmp_path, lines, "video", using)
    assert (row["pipeline_video_id"], row["course_id"], row["encoded_module_id"]) == (VIDEO, COURSE, BLOCK)
    assert row["segment_length"] == 5
    return row


def segments(first: int, last: int, users: int = 1, views: int = 1) -> dict[int, tuple[int, int]]:
    return {segment: (users, views) for segment in range(first, last + 1)}


def test_play_then_pause_covers_the_overlapped_segments(tmp_path: Path, result_db: str) -> None:
    lines = [
        video(0, 1, "play_video", currentTime=12.0, duration=300),
        video(1, 1, "pause_video", currentTime=40.0, duration=300),  # [12, 40): segments 2..7
        video(2, 2, "play_video", currentTime=30.0, duration=300),
        video(3, 2, "stop_video", currentTime=30.5, duration=300),  # stop closes too: segment 6
    ]
    expected = segments(2, 7)
    expected[6] = (2, 2)
    assert timeline(tmp_path, lines, result_db) == expected


def test_a_burst_of_plays_keeps_the_last(tmp_path: Path, result_db: str) -> None:
    lines = [
        video(0, 1, "play_video", currentTime=0.0, duration=300),
        video(1, 1, "play_video", currentTime=50.0, duration=300),
        video(2, 1, "play_video", currentTime=60.0, duration=300),
        video(3, 1, "pause_video", currentTime=70.0, duration=300),
    ]
    assert timeline(tmp_path, lines, result_db) == segments(12, 13)


def test_a_play_after_a_seek_starts_at_the_seek_target(tmp_path: Path, result_db: str) -> None:
    lines = [
        video(0, 1, "play_video", currentTime=0.0, duration=300),
        video(1, 1, "seek_video", old_time=20.0, new_time=100.0, duration=300),  # closes [0, 20)
        video(2, 1, "play_video", currentTime=20.0, duration=300),  # the player's pre-seek position
        video(3, 1, "pause_video", currentTime=110.0, duration=300),  # [100, 110)
    ]
    assert timeline(tmp_path, lines, result_db) == {**segments(0, 3), **segments(20, 21)}
    row = summary(tmp_path / "again", lines, result_db)
    assert row["total_viewed_seconds"] == 30


def test_impossible_and_tiny_viewings_are_discarded(tmp_path: Path, result_db: str) -> None:
    lines = [
        video(0, 1, "play_video", currentTime=50.0, duration=60),
        video(1, 1, "pause_video", currentTime=61.5, duration=60),  # beyond duration + 1 s
        video(2, 2, "play_video", currentTime=40.0, duration=60),
        video(3, 2, "pause_video", currentTime=30.0, duration=60),  # ends before it starts
        video(4, 3, "play_video", currentTime=10.0, duration=60),
        video(5, 3, "pause_video", currentTime=10.2, duration=60),  # under 0.25 s
        video(6, 4, "play_video", currentTime=-5.0, duration=60),
        video(7, 4, "pause_video", currentTime=5.0, duration=60),  # negative start
        video(8, 5, "play_video", currentTime="NaN", duration=60),
        video(9, 5, "pause_video", currentTime=5.0, duration=60),  # not a number
        video(10, 6, "play_video", currentTime=1.0, duration=60),
        video(11, 6, "pause_video", currentTime=40000.0, duration=60),  # over 10 h
        video(12, 7, "play_video", currentTime=55.0, duration=60),
        video(13, 7, "pause_video", currentTime=61.0, duration=60),  # within duration + 1 s: kept
        video(14, 8, "play_video", currentTime=0.0, duration=60),  # never closed: no viewing
    ]
    assert timeline(tmp_path, lines, result_db) == segments(11, 12)


def test_positions_in_scientific_notation_and_as_strings(tmp_path: Path, result_db: str) -> None:
    lines = [
        video(0, 1, "play_video", currentTime="1.5e1", duration="3e2"),
        video(1, 1, "pause_video", currentTime=2.5e1, duration=3e2),
    ]
    assert timeline(tmp_path, lines, result_db) == segments(3, 4)
    assert summary(tmp_path / "again", lines, result_db)["duration"] == 300


def test_unknown_duration_is_estimated_and_mobile_names_the_same_video(
    tmp_path: Path, result_db: str
) -> None:
    # Mobile apps send the usage key and no duration; the furthest position reached stands in.
    lines = [
        video(0, 1, "play_video", source="mobile", currentTime=0.0),
        video(1, 1, "pause_video", source="mobile", currentTime=200.0),
        video(2, 2, "play_video", source="mobile", currentTime=0.0),
        video(3, 2, "pause_video", source="mobile", currentTime=90.0),
    ]
    row = summary(tmp_path, lines, result_db)
    assert row["duration"] == 200
    # Near the end: max(200 - 30, 95% of 200) = 190 s, segment 38: only learner 1 got there.
    assert (row["users_at_start"], row["users_at_end"], row["total_viewed_seconds"]) == (2, 1, 290)


def test_users_at_end_and_views_of_a_rewatching_learner(tmp_path: Path, result_db: str) -> None:
    lines = [
        video(0, 1, "play_video", currentTime=0.0, duration=100),
        video(2, 1, "stop_video", currentTime=100.0, duration=100),
        video(3, 1, "play_video", currentTime=0.0, duration=100),
        video(4, 1, "pause_video", currentTime=10.0, duration=100),
        video(5, 2, "play_video", currentTime=0.0, duration=100),
        video(6, 2, "pause_video", currentTime=50.0, duration=100),
    ]
    row = summary(tmp_path, lines, result_db)
    # Near the end of a 100 s video: max(70, 95) = 95 s, segment 19.
    assert (row["duration"], row["users_at_start"], row["users_at_end"]) == (100, 2, 1)
    assert row["total_viewed_seconds"] == 160
    rows = timeline(tmp_path / "again", lines, result_db)
    assert rows[0] == (2, 3) and rows[5] == (2, 2) and rows[10] == (1, 1) and max(rows) == 19
