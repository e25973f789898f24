"""Topic names: where a `commentable_id` gets its display name.

The course structure (the discussion blocks and the course's discussion topics, with their
names) is not imported yet: until it is, a topic is shown by its id. This function is the one
place the lookup will go.
"""

from __future__ import annotations


def topic_name(course_id: str, commentable_id: str) -> str | None:
    """The topic's display name in the course, or None while the course structure is unknown."""
    return None


def topic_label(course_id: str, commentable_id: str) -> str:
    """What pages show for a topic: its name when known, else its id."""
    return topic_name(course_id, commentable_id) or commentable_id
