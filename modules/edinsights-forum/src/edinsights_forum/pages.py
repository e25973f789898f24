"""The forum module's pages: Engagement › Discussions and its topics (docs/forum.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from edinsights.dashboard.pages import Page, Section, course_url
from edinsights.dashboard.presentation import (
    DATE,
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

from edinsights_forum import data
from edinsights_forum.topics import topic_label

BUSIEST = 10
"""Topics shown on the Discussions page (all of them on the topics page)."""

TOPIC_COLUMNS = (
    Column("topic", _("Topic"), TEXT),
    Column("posts", _("Posts")),
    Column("threads", _("Threads")),
    Column("responses", _("Responses")),
    Column("comments", _("Comments")),
    Column("votes", _("Votes")),
)


def _topic_rows(course: str) -> list[dict[str, Any]]:
    return [
        {**entry, "topic": topic_label(course, entry["commentable_id"])}
        for entry in data.topic_totals(course)
    ]


def _topic_chart(rows: list[dict[str, Any]], title: Text) -> Chart:
    return Chart(
        "bar",
        title,
        "topic",
        [Series(_("Posts"), "posts"), Series(_("Votes"), "votes")],
        x_title=_("Topic"),
        y_title=_("Count"),
        rows=rows,
    )


def discussions(course: str) -> Page:
    weeks: list[dict[str, Any]] = [
        {
            "week": row.interval_start.date(),
            "threads": row.threads,
            "responses": row.responses,
            "comments": row.comments,
            "votes": row.votes,
            "posters": row.posters,
            "unanswered_threads": row.unanswered_threads,
        }
        for row in data.weekly_rows(course)
    ]
    columns = [
        Column("week", _("Week starting"), DATE),
        Column("threads", _("Threads")),
        Column("responses", _("Responses")),
        Column("comments", _("Comments")),
        Column("votes", _("Votes")),
        Column("posters", _("Learners who posted")),
        Column("unanswered_threads", _("Unanswered threads")),
    ]
    weekly = Table(_("Discussion activity each week"), columns, weeks)
    chart = Chart(
        "stacked-bar",
        _("Posts each week, by kind"),
        "week",
        [
            Series(_("Threads"), "threads"),
            Series(_("Responses"), "responses"),
            Series(_("Comments"), "comments"),
        ],
        x_title=_("Week starting"),
        y_title=_("Posts"),
        rows=weeks,
    )
    topics = _topic_rows(course)
    busiest = topics[:BUSIEST]
    topics_url = course_url("forum-topics", course)
    threads = sum(week["threads"] for week in weeks)
    unanswered = sum(week["unanswered_threads"] for week in weeks)
    tiles = (
        [
            Tile(_("Threads"), threads),
            Tile(_("Responses and comments"), sum(week["responses"] + week["comments"] for week in weeks)),
            Tile(_("Votes"), sum(week["votes"] for week in weeks)),
            Tile(_("Unanswered within 48 hours"), percent(unanswered, threads), PERCENT),
            Tile(_("Topics with posts"), len(topics), link=topics_url),
        ]
        if weeks
        else []
    )
    sections = [Section(weekly, chart)]
    if busiest:
        sections.append(
            Section(
                Table(_("The busiest topics"), TOPIC_COLUMNS, busiest),
                _topic_chart(busiest, _("Posts and votes in the busiest topics")),
                heading=str(_("Busiest topics")),
            )
        )
    return Page(
        nav="engagement-forum",
        title=_("Discussions"),
        intro=_(
            "What learners post in the course's discussions each week, how many take part, and how "
            "many new threads went 48 hours without a response."
        ),
        metrics=("forum_activity_weekly", "forum_topic_weekly"),
        empty=_(
            "No discussion results for this course yet. They appear once learners have posted in the "
            "course's discussions and the pipeline has run."
        ),
        sections=sections,
        tiles=tiles,
    )


def topics(course: str) -> Page:
    rows = _topic_rows(course)
    table = Table(_("Discussion topics, the busiest first"), TOPIC_COLUMNS, rows)
    return Page(
        nav="engagement-forum",
        title=_("Discussion topics"),
        intro=_(
            "Every topic learners posted in, the busiest first. Topics are shown by their id until "
            "the course structure is imported."
        ),
        metrics=("forum_topic_weekly",),
        empty=_("No discussion topic has posts yet."),
        sections=[Section(table, _topic_chart(rows[:30], _("Posts and votes per topic")))],
        tiles=[Tile(_("Topics"), len(rows)), Tile(_("Posts"), sum(row["posts"] for row in rows))]
        if rows
        else [],
        parent=(_("Discussions"), course_url("forum", course)),
    )
