"""The video module's pages: Engagement › Videos (sections → subsections → videos once the course
structure is imported, a flat list until then) and a video's timeline (docs/dashboard.md)."""

from __future__ import annotations

from dataclasses import dataclass
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
    Text,
    Tile,
    percent,
)
from edinsights.families.video.models import Video, VideoTimeline
from edinsights.structure.outline import (
    SECTION_TYPE,
    SUBSECTION_TYPE,
    Leaf,
    Node,
    Outline,
    course_outline,
)

INTRO = _(
    "Every video learners played: how many started it and how many stayed to the end. "
    "Open a video to see where learners drop off or re-watch."
)
NOBODY_WATCHED = _("Looks like no one has watched any videos in these sections.")


def videos(course: str) -> Page:
    """Engagement › Videos: the course's sections once its structure is imported, else every video."""
    outline = course_outline(course)
    if not outline.imported:
        return _flat_list(course)
    tree = _tree(course, outline)
    course_videos = [leaf.result for node in tree for leaf in node.leaves if leaf.result is not None]
    return _level(
        course,
        tree,
        title=_("Videos"),
        link=lambda node: course_url("videos-section", course, node.key),
        tiles=_course_tiles(course_videos),
        trail=(),
        noun=_("Section"),
    )


def video_section(course: str, section: str) -> Page | None:
    """A section's subsections; None (404) when the outline has no such section."""
    outline = course_outline(course)
    node = _node(_tree(course, outline), section)
    if node is None:
        block = outline.container(section)
        if block is None or block.block_type != SECTION_TYPE or block.is_orphan:
            return None
        node = Node(section, block.display_name or block.block_name, block)  # a section without videos
    return _level(
        course,
        node.children,
        title=node.name,
        link=lambda child: course_url("videos-subsection", course, section, child.key),
        tiles=_scope_tiles(node),
        trail=((_("Videos"), course_url("videos", course)),),
        noun=_("Subsection"),
    )


def video_subsection(course: str, section: str, subsection: str) -> Page | None:
    """A subsection's videos; None (404) when the section has no such subsection."""
    outline = course_outline(course)
    tree = _tree(course, outline)
    parent = _node(tree, section)
    node = parent.child(subsection) if parent is not None else None
    if node is None:
        block = outline.container(subsection)
        if (
            block is None
            or block.block_type != SUBSECTION_TYPE
            or block.is_orphan
            or block.section != section
        ):
            return None
        node = Node(subsection, block.display_name or block.block_name, block)
        container = outline.container(section)
        section_name = (container.display_name or container.block_name) if container else section
    else:
        section_name = parent.name if parent is not None else section
    rows = [_video_row(order, course, leaf) for order, leaf in enumerate(node.leaves, 1)]
    if not any(row["views"] for row in rows):
        rows = []
    columns = [
        Column("order", _("Order")),
        Column("name", _("Video"), TEXT, link=lambda row: row["url"]),
        Column("complete", _("Complete views")),
        Column("incomplete", _("Incomplete views")),
        Column("completion", _("Completion"), PERCENT),
    ]
    table = Table(_("Complete and incomplete views of each video"), columns, rows)
    chart = Chart(
        "stacked-bar",
        _("Complete and incomplete views of each video"),
        "name",
        [Series(_("Complete views"), "complete"), Series(_("Incomplete views"), "incomplete")],
        x_title=_("Video"),
        y_title=_("Learners"),
        rows=rows,
    )
    return Page(
        nav="engagement-videos",
        title=node.name,
        intro=INTRO,
        metrics=("video", "course_structure"),
        empty=NOBODY_WATCHED,
        sections=[Section(table, chart)],
        download=Table(table.caption, [Column("key", _("Id"), TEXT), *columns], rows),
        tiles=_scope_tiles(node),
        trail=(
            (_("Videos"), course_url("videos", course)),
            (section_name, course_url("videos-section", course, section)),
        ),
    )


def video_or_section(course: str, key: str) -> Page | None:
    """`engagement/videos/<key>/`: the timeline of the video `key` names, else the section `key` names.

    A video's page has had this URL since before course structure; a section's key (its block
    name) has the same form, so the video wins when a video and a section share a name."""
    page = video_timeline(course, key)
    return page if page is not None else video_section(course, key)


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
    outline = course_outline(course)
    title: Text = block_name(video.encoded_module_id)
    trail: tuple[tuple[Text, str], ...] = ((_("Videos"), course_url("videos", course)),)
    pager: tuple[tuple[Text, str, str], ...] = ()
    if outline.imported:
        title, trail, pager = _whereabouts(course, outline, video.encoded_module_id, title)
    return Page(
        nav="engagement-videos",
        title=title,
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
        trail=trail,
        pager=pager,
    )


# ---- Views per video and per part of the outline ---------------------------------------------


@dataclass(frozen=True)
class Views:
    """A video's views as the original counts them: complete = learners at the end; incomplete =
    learners at the start who were not at the end (0 when more reached the end than started)."""

    complete: int
    incomplete: int

    @classmethod
    def of(cls, video: Video | None) -> Views:
        if video is None:
            return cls(0, 0)
        return cls(video.users_at_end, max(video.users_at_start - video.users_at_end, 0))

    @property
    def total(self) -> int:
        """max(learners at start, learners at end)."""
        return self.complete + self.incomplete

    @property
    def completion(self) -> float | None:
        """The original's end_percent: learners at end ÷ max(at start, at end), in percent."""
        return percent(self.complete, self.total)


def _tree(course: str, outline: Outline) -> list[Node[Video]]:
    """The outline's videos with their result rows (a row names its video by block name, what
    the player reports: a 32-hex id or an authored url_name; the outline matches both)."""
    return outline.tree(
        {video.encoded_module_id: video for video in Video.objects.filter(course_id=course)}, {"video"}
    )


def _key(leaf: Leaf[Video]) -> str:
    """The video's id as its result rows name it (its block name), watched or not."""
    if leaf.result is not None:
        return leaf.result.encoded_module_id
    return leaf.block.block_name if leaf.block is not None else leaf.key


def _node(nodes: list[Node[Video]], key: str) -> Node[Video] | None:
    return next((node for node in nodes if node.key == key), None)


def _level(
    course: str,
    nodes: list[Node[Video]],
    *,
    title: Text,
    link: Any,
    tiles: list[Tile],
    trail: tuple[tuple[Text, str], ...],
    noun: Text,
) -> Page:
    """Sections or subsections: each one's videos and its average complete and incomplete views."""
    rows = [_node_row(order, node, link) for order, node in enumerate(nodes, 1)]
    if not any(row["views"] for row in rows):
        rows = []
    columns = [
        Column("order", _("Order")),
        Column("name", noun, TEXT, link=lambda row: row["url"]),
        Column("videos", _("Videos")),
        Column("average_complete", _("Average complete views")),
        Column("average_incomplete", _("Average incomplete views")),
        Column("completion", _("Completion"), PERCENT),
    ]
    table = Table(_("Average complete and incomplete views per video"), columns, rows)
    chart = Chart(
        "stacked-bar",
        _("Average complete and incomplete views per video"),
        "name",
        [
            Series(_("Average complete views"), "average_complete"),
            Series(_("Average incomplete views"), "average_incomplete"),
        ],
        x_title=noun,
        y_title=_("Learners per video"),
        rows=rows,
    )
    return Page(
        nav="engagement-videos",
        title=title,
        intro=INTRO,
        metrics=("video", "course_structure"),
        empty=NOBODY_WATCHED,
        sections=[Section(table, chart)],
        download=Table(table.caption, [Column("key", _("Id"), TEXT), *columns], rows),
        tiles=tiles,
        trail=trail,
    )


def _node_row(order: int, node: Node[Video], link: Any) -> dict[str, Any]:
    views = [Views.of(leaf.result) for leaf in node.leaves]
    complete = sum(view.complete for view in views)
    incomplete = sum(view.incomplete for view in views)
    count = len(views)
    return {
        "order": order,
        "key": node.key,
        "name": node.name,
        "videos": count,
        "views": complete + incomplete,
        "average_complete": round(complete / count, 1) if count else 0,
        "average_incomplete": round(incomplete / count, 1) if count else 0,
        "completion": percent(complete, complete + incomplete),
        "url": link(node) if complete + incomplete else "",
    }


def _video_row(order: int, course: str, leaf: Leaf[Video]) -> dict[str, Any]:
    views = Views.of(leaf.result)
    key = _key(leaf)
    return {
        "order": order,
        "key": key,
        "name": leaf.name,
        "views": views.total,
        "complete": views.complete,
        "incomplete": views.incomplete,
        "completion": views.completion,
        "url": course_url("video", course, key) if views.total else "",
    }


def _scope_tiles(node: Node[Video]) -> list[Tile]:
    views = [Views.of(leaf.result) for leaf in node.leaves]
    complete = sum(view.complete for view in views)
    return [
        Tile(_("Videos"), len(views)),
        Tile(_("Complete views"), complete),
        Tile(_("Completion"), percent(complete, complete + sum(view.incomplete for view in views)), PERCENT),
    ]


def _whereabouts(
    course: str, outline: Outline, video: str, title: Text
) -> tuple[Text, tuple[tuple[Text, str], ...], tuple[tuple[Text, str, str], ...]]:
    """A video's display name (`title` if the outline does not name it), its breadcrumbs
    (Videos › section › subsection) and its previous and next videos in outline order, skipping
    videos without results."""
    trail: tuple[tuple[Text, str], ...] = ((_("Videos"), course_url("videos", course)),)
    watched: list[Leaf[Video]] = []
    for section in _tree(course, outline):
        for subsection in section.children:
            for leaf in subsection.leaves:
                if _key(leaf) == video:
                    title = leaf.name
                    trail = (
                        trail[0],
                        (section.name, course_url("videos-section", course, section.key)),
                        (
                            subsection.name,
                            course_url("videos-subsection", course, section.key, subsection.key),
                        ),
                    )
                if leaf.result is not None:
                    watched.append(leaf)
    keys = [_key(leaf) for leaf in watched]
    pager: list[tuple[Text, str, str]] = []
    if video in keys:
        here = keys.index(video)
        if here > 0:
            before = watched[here - 1]
            pager.append(
                (
                    _("Previous video: %(name)s") % {"name": before.name},
                    course_url("video", course, _key(before)),
                    "prev",
                )
            )
        if here + 1 < len(watched):
            after = watched[here + 1]
            pager.append(
                (
                    _("Next video: %(name)s") % {"name": after.name},
                    course_url("video", course, _key(after)),
                    "next",
                )
            )
    return title, trail, tuple(pager)


def _course_tiles(course_videos: list[Video]) -> list[Tile]:
    if not course_videos:
        return []
    started = sum(video.users_at_start for video in course_videos)
    ended = sum(video.users_at_end for video in course_videos)
    return [
        Tile(_("Videos watched"), len(course_videos)),
        Tile(_("Average completion"), percent(ended, started), PERCENT),
        Tile(_("Hours watched"), round(sum(video.total_viewed_seconds for video in course_videos) / 3600, 1)),
    ]


# ---- Without course structure: every video in key order --------------------------------------


def _flat_list(course: str) -> Page:
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
        intro=INTRO,
        metrics=("video",),
        empty=_(
            "No video results for this course yet. They appear once learners have played videos "
            "and the pipeline has run."
        ),
        sections=[Section(table, chart, group=str(_("All content")))],
        tiles=tiles,
    )


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"
