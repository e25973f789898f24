"""The forum module's metrics: weekly discussion activity per course, and per topic.

Rules (docs/forum.md): weeks run from Monday 00:00 UTC, as in `course_activity`; posts are
server `edx.forum.{thread,response,comment}.created` events, votes `edx.forum.*.voted` ones that
are not undone (`undo_vote`); a thread is unanswered when no response came within 48 hours.
"""

from __future__ import annotations

from edinsights.metrics.registry import Metric, sql_beside

# No `columns=`: each metric's columns are its model's fields (less `id` and `created`), in
# their order (edinsights.metrics.registry.Metric.result_columns); the SQL yields them so.

FORUM_POSTS = sql_beside(__file__, "forum_posts.sql")
"""The shared WITH clause `forum`: the side table joined to the events (both metrics read it)."""

FORUM_ACTIVITY_WEEKLY = Metric(
    name="forum_activity_weekly",
    inputs=("events", "forum_events"),
    sql=FORUM_POSTS + sql_beside(__file__, "forum_activity_weekly.sql"),
    table="forum_activity_weekly",
    description="Per course and week: threads, responses, comments, votes, posters, unanswered threads.",
    # Always recomputed whole: whether a thread was answered within 48 hours can be decided by a
    # response in the next week, so a week's row depends on more than its own week's events.
    date_column=None,
)

FORUM_TOPIC_WEEKLY = Metric(
    name="forum_topic_weekly",
    inputs=("events", "forum_events"),
    sql=FORUM_POSTS + sql_beside(__file__, "forum_topic_weekly.sql"),
    table="forum_topic_weekly",
    description="Per course, week and discussion topic: threads, responses, comments, votes, posters.",
    # A topic's week depends only on that week's events: incremental runs republish from the
    # first week with new events.
    date_column="interval_start",
)
