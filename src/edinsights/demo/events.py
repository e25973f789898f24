"""Tracking-log lines in the shapes an Open edX LMS writes them.

Browser events carry their payload as a JSON-encoded string, server and mobile events as an
object; page views are server events whose `event_type` is the URL path. orjson keeps the
formatting cost to about a microsecond per event.

Both generators render their lines here: the course simulator (`demo/simulate.py`) and the
benchmark's log generator (`bench/loggen.py`, which varies host, referer, mobile app and
context fields through the optional arguments of `envelope`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson

HOST = "lms.demo.edinsights.example"
AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Mobile/15E148",
)
MOBILE_AGENT = "edX/org.edx.mobile (4.6.1; OS Version 14 (Build UP1A.231005.007))"
LANGUAGES = (
    "en-US,en;q=0.9",
    "es-ES,es;q=0.9,en;q=0.5",
    "fr-FR,fr;q=0.8",
    "hi-IN,hi;q=0.9,en;q=0.7",
    "zh-CN,zh;q=0.9",
)


@dataclass(frozen=True)
class MobileApp:
    """The mobile app a mobile event comes from: `context.application` and the user agent."""

    name: str
    version: str
    agent: str


ANDROID_APP = MobileApp("edx.mobileapp.android", "4.6.1", MOBILE_AGENT)


@dataclass(frozen=True)
class Actor:
    """Who an event is about and where it comes from (`user_id` None: not signed in)."""

    user_id: int | None
    username: str
    ip: str
    agent: str
    language: str
    session: str


def envelope(
    actor: Actor,
    *,
    time: str,
    event_type: str,
    source: str,
    course_id: str,
    path: str,
    payload: Any,
    page: str | None = None,
    name: str | None = None,
    module: dict[str, Any] | None = None,
    tags: dict[str, Any] | None = None,
    app: MobileApp | None = None,
    referer: str | None = None,
    host: str = HOST,
    context_extra: dict[str, Any] | None = None,
) -> bytes:
    """One tracking-log line (without the newline).

    `app` makes it a mobile event (the app's agent, no session, `context.application` and
    `received_at`). `referer` defaults to the dashboard for events with a page, else empty;
    `context_extra` fields come last in `context`.
    """
    context: dict[str, Any] = {
        "course_id": course_id,
        "org_id": course_org(course_id),
        "user_id": actor.user_id,
        "path": path,
    }
    if module:
        context["module"] = module
    if tags:
        context["asides"] = {"tagging_aside": {"saved_tags": tags}}
    if app:
        context["application"] = {"name": app.name, "version": app.version}
        context["received_at"] = time
    if context_extra:
        context.update(context_extra)
    if referer is None:
        referer = f"https://{host}/dashboard" if page else ""
    event: dict[str, Any] = {
        "username": actor.username,
        "event_source": source,
        "accept_language": actor.language,
        "time": time,
        "agent": app.agent if app else actor.agent,
        "page": page,
        "host": host,
        "session": "" if app else actor.session,
        "referer": referer,
        "context": context,
        "ip": actor.ip,
        # Browser events send their payload JSON-encoded inside a string.
        "event": orjson.dumps(payload).decode()
        if source == "browser" and not isinstance(payload, str)
        else payload,
        "event_type": event_type,
    }
    if name:
        event["name"] = name
    return orjson.dumps(event)


def course_server_event(
    actor: Actor,
    *,
    time: str,
    event_type: str,
    course_id: str,
    handler: str,
    payload: Any,
    name: str | None = None,
    module: dict[str, Any] | None = None,
    tags: dict[str, Any] | None = None,
    **options: Any,
) -> bytes:
    """A server event logged by a view under the course's URL, `/courses/<course id><handler>`.

    Problem submissions, their grades and forum actions all come from such views. `options`
    go to `envelope` (page, referer, host, context_extra).
    """
    return envelope(
        actor,
        time=time,
        event_type=event_type,
        source="server",
        course_id=course_id,
        path=f"/courses/{course_id}{handler}",
        payload=payload,
        name=name,
        module=module,
        tags=tags,
        **options,
    )


@lru_cache(maxsize=1024)
def course_org(course_id: str) -> str:
    if "/" in course_id:
        return course_id.split("/", 1)[0]
    return course_id.split(":", 1)[-1].split("+", 1)[0]
