"""Forum events as the LMS logs them (lms/djangoapps/discussion), for the tests."""

from __future__ import annotations

from datetime import datetime, timedelta

COURSE = "course-v1:edX+Forum+2024"


def forum_line(
    event_type: str,
    when: datetime,
    payload: dict[str, object],
    *,
    user: int | None = 1,
    course: str = COURSE,
    source: str = "server",
) -> str:
    """A forum event as the LMS logs it (server source, the course in the context)."""
    from edinsights.testing import event_line

    context: dict[str, object] = {"course_id": course, "path": f"/courses/{course}/discussion/x"}
    if user is not None:
        context["user_id"] = user
    return event_line(
        event_type=event_type,
        event_source=source,
        time=when.isoformat(),
        username=f"learner{user}",
        name=event_type,
        context=context,
        event=payload,
    )


def thread(when: datetime, thread_id: str, topic: str, **options: object) -> str:
    return forum_line("edx.forum.thread.created", when, {"id": thread_id, "commentable_id": topic}, **options)  # type: ignore[arg-type]


def response(when: datetime, response_id: str, thread_id: str, topic: str, **options: object) -> str:
    payload = {"id": response_id, "discussion": {"id": thread_id}, "commentable_id": topic}
    return forum_line("edx.forum.response.created", when, payload, **options)  # type: ignore[arg-type]


def comment(
    when: datetime, comment_id: str, response_id: str, thread_id: str, topic: str, **options: object
) -> str:
    payload = {
        "id": comment_id,
        "discussion": {"id": thread_id},
        "response": {"id": response_id},
        "commentable_id": topic,
    }
    return forum_line("edx.forum.comment.created", when, payload, **options)  # type: ignore[arg-type]


def vote(when: datetime, target: str, post_id: str, topic: str, undo: bool = False, **options: object) -> str:
    payload = {"id": post_id, "commentable_id": topic, "vote_value": "up", "undo_vote": undo}
    return forum_line(f"edx.forum.{target}.voted", when, payload, **options)  # type: ignore[arg-type]


HOUR = timedelta(hours=1)
