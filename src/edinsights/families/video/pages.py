"""The video module's pages: Engagement › Videos and a video's timeline (docs/dashboard.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from edinsights.dashboard.pages import Page, Section, block_name, course_url
from edinsights.dashboard.presentation import (
    DURATION,
    PERCENT,
    TEXT,
    Chart,
    Column,
    Series,
    Table,
    Tile,
    percent,
)
from edinsights.families.video.models import Video, VideoTimeline


def videos(course: str) -> Page:
    course_videos = list(Video.objects.filter(course_id=course).order_by("encoded_module_id"))
    # By id, not by prefix: LIKE 'course|%' cannot use the timeline's index on SQLite.
    views = dict(
        VideoTimeline.objects.filter(
            pipeline_video_id__in=[video.pipeline_video_id for video in course_videos], segment=0
        ).values_list("pipeline_video_id", "num_views")
    )
    rows: list[dict[str, Any]] = []
    for video in course_videos:
        rows.append(
            {
                "video": video.encoded_module_id,
                "duration": video.duration,
                "views": views.get(video.pipeline_video_id, 0),
                "users_at_start": video.users_at_start,
                "users_at_end": video.users_at_end,
                "completion": percent(video.users_at_end, video.users_at_start),
                "viewed_hours": round(video.total_viewed_seconds / 3600, 1),
            }
        )
    columns = [
        Column("video", _("Video"), TEXT, link=lambda row: course_url("video", course, row["video"])),
        Column("duration", _("Length"), DURATION),
        Column("views", _("Views from the start")),
        Column("users_at_start", _("Learners at start")),
        Column("users_at_end", _("Learners at end")),
        Column("completion", _("Completion"), PERCENT),
        Column("viewed_hours", _("Hours watched")),
    ]
    table = Table(_("Videos: views and learners at start and end"), columns, rows)
    chart = Chart(
        "bar",
        _("Learners at the start and the end of each video"),
        "video",
        [Series(_("Learners at start"), "users_at_start"), Series(_("Learners at end"), "users_at_end")],
        x_title=_("Video"),
        y_title=_("Learners"),
        rows=rows,
    )
    started = sum(row["users_at_start"] for row in rows)
    ended = sum(row["users_at_end"] for row in rows)
    tiles = (
        [
            Tile(_("Videos watched"), len(rows)),
            Tile(_("Average completion"), percent(ended, started), PERCENT),
            Tile(_("Hours watched"), round(sum(row["viewed_hours"] for row in rows), 1)),
        ]
        if rows
        else []
    )
    return Page(
        nav="engagement-videos",
        title=_("Videos"),
        intro=_(
            "Every video learners played: how many started it and how many stayed to the end. "
            "Open a video to see where learners drop off or re-watch."
        ),
        metrics=("video",),
        empty=_(
            "No video results for this course yet. They appear once learners have played videos "
            "and the pipeline has run."
        ),
        sections=[Section(table, chart, group=str(_("All content")))],
        tiles=tiles,
    )


def video_timeline(course: str, block: str) -> Page | None:
    """A video's timeline: learners and views per segment; None when the video has no results."""
    video_id = f"{course}|{block}"
    video = Video.objects.filter(pipeline_video_id=video_id).first()
    if video is None:
        return None
    rows = [
        {
            "segment": segment,
            "start": _clock(segment * video.segment_length),
            "num_users": users,
            "num_views": views,
        }
        for segment, users, views in VideoTimeline.objects.filter(pipeline_video_id=video_id)
        .order_by("segment")
        .values_list("segment", "num_users", "num_views")
    ]
    columns = [
        Column("start", _("From"), TEXT),
        Column("num_users", _("Learners")),
        Column("num_views", _("Views")),
    ]
    table = Table(
        _("Learners and views per %(seconds)s-second segment") % {"seconds": video.segment_length},
        columns,
        rows,
    )
    chart = Chart(
        "line",
        _("Learners and views along the video"),
        "start",
        [Series(_("Learners"), "num_users"), Series(_("Views"), "num_views")],
        x_title=_("Time in the video"),
        y_title=_("Count"),
        rows=rows,
    )
    return Page(
        nav="engagement-videos",
        title=block_name(video.encoded_module_id),
        intro=_("Where learners drop off (the line falls) or re-watch (views rise above learners)."),
        metrics=("video_timeline",),
        empty=_("No segment of this video has been watched."),
        sections=[Section(table, chart)],
        tiles=[
            Tile(_("Length"), video.duration, DURATION),
            Tile(_("Learners at start"), video.users_at_start),
            Tile(_("Learners at end"), video.users_at_end),
            Tile(_("Completion"), percent(video.users_at_end, video.users_at_start), PERCENT),
        ],
        parent=(_("Videos"), course_url("videos", course)),
    )


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"
