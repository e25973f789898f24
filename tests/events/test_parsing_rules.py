"""Table-driven parser tests: one tracking-log line in, one stored row (or a rejection) out.

The lines follow the shapes of the Open edX "Tracking Log Events" reference: browser events
with a JSON-encoded string payload, server events with an object payload, mobile events,
enrollment events whose learner is in the payload, and the prefixes log shippers add; and the
two other formats a tracking log may hold (rule 13): event-tracking's own (`name`, `timestamp`,
`data`, the request in `context`) and Segment messages from the mobile apps.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import event_line, quarantined, run_ingest, stored_events, write_log

COURSE = "course-v1:edX+DemoX+2024"
VIDEO_BLOCK = "block-v1:edX+DemoX+2024+type@video+block@0b9e39477cf34507a7a48f74be381fdd"
PROBLEM_BLOCK = "block-v1:edX+DemoX+2024+type@problem+block@d2e35c1d294b4ba0b3b1048615605d2a"

BROWSER_PLAY_VIDEO = {
    "username": "alice",
    "event_source": "browser",
    "name": "play_video",
    "accept_language": "en-US,en;q=0.9",
    "time": "2024-01-04T09:01:10.123456+00:00",
    "agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0",
    "page": f"https://lms.example.com/courses/{COURSE}/courseware/week1/seq1/1",
    "host": "lms.example.com",
    "session": "a1b2c3d4e5f6",
    "referer": f"https://lms.example.com/courses/{COURSE}/courseware/week1/",
    "context": {"user_id": 42, "org_id": "edX", "course_id": COURSE, "path": "/event"},
    "ip": "198.51.100.23",
    "event": json.dumps({"id": VIDEO_BLOCK, "currentTime": 12.5, "code": "html5", "duration": 187.4}),
    "event_type": "play_video",
}

SERVER_PROBLEM_CHECK = {
    "username": "bob",
    "event_source": "server",
    "time": "2024-01-04T10:00:00+00:00",
    "event_type": "problem_check",
    "host": "lms.example.com",
    "ip": "203.0.113.9",
    "agent": "Mozilla/5.0",
    "page": f"x_module_{PROBLEM_BLOCK}",
    "session": "s3ss10n",
    "context": {
        "course_id": COURSE,
        "org_id": "edX",
        "user_id": 7,
        "path": f"/courses/{COURSE}/xblock/{PROBLEM_BLOCK}/handler/xmodule_handler/problem_check",
        "module": {"usage_key": PROBLEM_BLOCK, "display_name": "Checkbox question"},
        "asides": {
            "tagging_aside": {"saved_tags": {"difficulty_tag": "hard", "learning_outcome_tag": "LO1"}}
        },
    },
    "event": {
        "problem_id": PROBLEM_BLOCK,
        "attempts": 2,
        "grade": 1,
        "max_grade": 1,
        "success": "correct",
        "answers": {"d2e35c1d294b4ba0b3b1048615605d2a_2_1": ["choice_0", "choice_2"]},
        "correct_map": {"d2e35c1d294b4ba0b3b1048615605d2a_2_1": {"correctness": "correct", "npoints": None}},
        "submission": {
            "d2e35c1d294b4ba0b3b1048615605d2a_2_1": {
                "question": "Which are prime?",
                "answer": ["2", "5"],
                "response_type": "choiceresponse",
                "input_type": "checkboxgroup",
                "correct": True,
                "variant": "",
            }
        },
        "state": {"seed": 1, "done": True},
    },
}

BROWSER_PROBLEM_CHECK = {
    "username": "bob",
    "event_source": "browser",
    "time": "2024-01-04T10:00:00.5+00:00",
    "event_type": "problem_check",
    "page": f"https://lms.example.com/courses/{COURSE}/courseware/week1/seq2/",
    "context": {"course_id": COURSE, "user_id": 7, "org_id": "edX", "path": "/event"},
    "event": "input_d2e35c1d294b4ba0b3b1048615605d2a_2_1%5B%5D=choice_0&input_x_2_1%5B%5D=choice_2",
}

ENROLLMENT_BY_STAFF = {
    "username": "staff_member",
    "event_source": "server",
    "time": "2024-01-04T08:00:00.000001Z",
    "event_type": "edx.course.enrollment.activated",
    "context": {"course_id": COURSE, "user_id": 1, "org_id": "edX", "path": "/courses/enroll_via_staff"},
    "event": {"course_id": COURSE, "user_id": 99, "mode": "verified"},
}

ENROLLMENT_NO_CONTEXT_COURSE = {
    "username": "carol",
    "event_source": "server",
    "time": "2024-01-04T08:30:00+00:00",
    "event_type": "edx.course.enrollment.mode_changed",
    "context": {"course_id": "", "user_id": "", "org_id": "", "path": "/change_enrollment"},
    "event": {"course_id": "MITx/6.002x/2012_Fall", "user_id": "31", "mode": "honor"},
}

MOBILE_VIDEO = {
    "username": "dave",
    "event_source": "mobile",
    "name": "edx.video.played",
    "time": "2024-01-04T11:00:00.250+01:00",
    "event_type": "play_video",
    "context": {
        "course_id": COURSE,
        "user_id": 12,
        "org_id": "edX",
        "path": "/event_mobile",
        "application": {"name": "edx.mobileapp.android", "version": "2.26"},
        "received_at": "2024-01-04T10:00:05.000Z",
    },
    "event": {"id": VIDEO_BLOCK, "currentTime": 30, "code": "mobile"},
}

SEEK_VIDEO = {
    **BROWSER_PLAY_VIDEO,
    "time": "2024-01-04T09:02:00+00:00",
    "event_type": "seek_video",
    "event": json.dumps(
        {
            "id": VIDEO_BLOCK,
            "old_time": 20.0,
            "new_time": 95.5,
            "type": "onSlideSeek",
            "code": "html5",
            "duration": 187.4,
        }
    ),
}

SPEED_CHANGE = {
    **BROWSER_PLAY_VIDEO,
    "time": "2024-01-04T09:03:00+00:00",
    "event_type": "speed_change_video",
    "event": json.dumps(
        {
            "id": VIDEO_BLOCK,
            "current_time": 40.1,
            "old_speed": "1.0",
            "new_speed": "1.50",
            "code": "html5",
            "duration": 187.4,
        }
    ),
}

FORUM_COMMENT = {
    "username": "erin",
    "event_source": "server",
    "time": "2024-01-04T12:00:00+00:00",
    "event_type": "edx.forum.comment.created",
    "context": {"course_id": COURSE, "user_id": 21, "org_id": "edX", "path": "/courses/x/discussion/comment"},
    "event": {
        "id": "comment-5",
        "commentable_id": "week1-topic",
        "discussion": {"id": "thread-1"},
        "response": {"id": "response-3"},
        "body": "I agree",
        "options": {"followed": False},
    },
}

OLD_STYLE_PAGE_VIEW = {
    "username": "frank",
    "event_source": "server",
    "time": "2024-01-04T13:00:00",
    "event_type": "/courses/MITx/6.002x/2012_Fall/courseware/week_1/",
    "context": {
        "course_id": "",
        "user_id": 3,
        "org_id": "",
        "path": "/courses/MITx/6.002x/2012_Fall/courseware/week_1/",
    },
    "event": '{"POST": {}, "GET": {}}',
    "page": None,
}

CCX_EVENT = {
    "username": "gina",
    "event_source": "server",
    "time": "2024-01-04T14:00:00+00:00",
    "event_type": "edx.test.ccx",
    "context": {"course_id": "ccx-v1:edX+DemoX+2024+ccx@3", "user_id": 8, "path": "/x"},
    "event": {},
}

URL_ENCODED_PAGE = {
    "username": "hugo",
    "event_source": "browser",
    "time": "2024-01-04T15:00:00+00:00",
    "event_type": "page_close",
    "page": "https://lms.example.com/courses/course-v1%3AedX%2BDemoX%2B2024/courseware/",
    "context": {"user_id": 9, "path": "/event"},
    "event": "",
}

ENCODED_COURSE = "course-v1%3AedX%2BDemoX%2B2024"
# Decoded, this is a course key followed by a path: not a key.
ENCODED_COURSE_AND_PATH = "course-v1%3AedX%2BDemoX%2B2024%2Fcourseware%2Fweek1"
PAGE = f"https://lms.example.com/courses/{COURSE}/courseware/week1/"


def course_event(time: str, context: dict, event: dict | str = "", **fields: object) -> str:
    """A server event at `time` with this context and payload (for the course id rules)."""
    return event_line(time=time, context={"user_id": 5, **context}, event=event, **fields)


BOOKMARK = {
    "username": "ines",
    "event_source": "server",
    "time": "2024-01-04T15:10:00+00:00",
    "event_type": "edx.bookmark.added",
    "context": {"user_id": 14, "org_id": "", "course_id": "", "path": "/api/bookmarks/v1/bookmarks/"},
    "event": {"course_id": COURSE, "component_type": "vertical", "component_usage_id": VIDEO_BLOCK},
}

# event-tracking's own format: the request in `context`, the payload in `data`, no `time`.
TRACKER_ENROLLMENT = {
    "name": "edx.course.enrollment.activated",
    "timestamp": "2024-01-05T08:15:30.250000+00:00",
    "context": {
        "course_id": COURSE,
        "org_id": "edX",
        "user_id": 2,
        "username": "staff_member",
        "session": "5e55",
        "ip": "192.0.2.44",
        "agent": "Mozilla/5.0 (X11)",
        "host": "lms.example.com",
        "referer": f"https://lms.example.com/courses/{COURSE}/instructor",
        "accept_language": "fr",
        "path": "/courses/enroll_via_staff",
        "client_id": None,
    },
    "data": {"course_id": COURSE, "user_id": 57, "mode": "audit"},
}

TRACKER_BROWSER_VIDEO = {
    "name": "play_video",
    "timestamp": "2024-01-05T08:20:00+00:00",
    "context": {
        "course_id": COURSE,
        "user_id": 57,
        "username": "kim",
        "event_source": "browser",
        "page": f"https://lms.example.com/courses/{COURSE}/courseware/week2/",
        "path": "/event",
    },
    "data": {"id": "0b9e39477cf34507a7a48f74be381fdd", "currentTime": 61.5, "code": "html5"},
}

# The Segment webhook puts the app's time in context.timestamp, which wins over the top-level one.
TRACKER_MOBILE_PAUSE = {
    "name": "edx.video.paused",
    "timestamp": "2024-01-05T08:30:09+00:00",
    "context": {
        "timestamp": "2024-01-05T08:30:01.5+00:00",
        "course_id": COURSE,
        "user_id": 57,
        "username": "kim",
        "event_source": "mobile",
        "open_in_browser_url": f"https://lms.example.com/courses/{COURSE}/jump_to/{VIDEO_BLOCK}",
        "application": {"name": "edx.mobileapp.android", "version": "3.1"},
    },
    "data": {"module_id": VIDEO_BLOCK, "current_time": 75, "code": "mobile"},
}

TRACKER_MOBILE_SEEK = {
    "name": "edx.video.seeked",
    "timestamp": "2024-01-05T08:31:00+00:00",
    "context": {"course_id": COURSE, "user_id": 57, "event_source": "mobile"},
    "data": {"module_id": VIDEO_BLOCK, "old_time": 75, "new_time": 45, "seek_type": "skip"},
}

# A Segment `track` message from the Android app, carrying an edX event in `properties`.
SEGMENT_VIDEO = {
    "messageId": "7d0c2f4e-1111-4a5b-9c3d-000000000001",
    "type": "track",
    "channel": "server",
    "event": "Played a video",
    "userId": "57",
    "anonymousId": "a0b1c2",
    "timestamp": "2024-01-05T09:00:00.125Z",
    "sentAt": "2024-01-05T09:00:03.000Z",
    "receivedAt": "2024-01-05T09:00:03.400Z",
    "context": {
        "library": {"name": "analytics-android", "version": "4.10"},
        "app": {"version": "3.1"},
        "traits": {"username": "kim", "userId": "57"},
        "userAgent": "Dalvik/2.1.0 (Linux; U; Android 13)",
        "ip": "198.51.100.80",
    },
    "properties": {
        "name": "edx.video.played",
        "data": {"module_id": VIDEO_BLOCK, "current_time": 12.25, "code": "mobile"},
        "context": {
            "course_id": COURSE,
            "ip": "10.1.2.3",
            "open_in_browser_url": f"https://lms.example.com/courses/{COURSE}/jump_to/{VIDEO_BLOCK}",
            "app_name": "edx.mobileapp.android",
        },
    },
}

SEGMENT_BI_EVENT = {
    **SEGMENT_VIDEO,
    "messageId": "7d0c2f4e-1111-4a5b-9c3d-000000000002",
    "timestamp": "2024-01-05T09:05:00Z",
    "event": "Viewed a course outline",
    "properties": {
        "name": "edx.bi.app.course.outline",
        "label": "Course outline",
        "course_id": "MITx/6.002x/2012_Fall",
        "data": {},
        "context": {"app_name": "edx.mobileapp.android"},
    },
}

SEGMENT_FORUM_SCREEN = {
    **SEGMENT_VIDEO,
    "messageId": "7d0c2f4e-1111-4a5b-9c3d-000000000003",
    "timestamp": "2024-01-05T09:06:00Z",
    "properties": {
        "label": "Forum: View Thread",
        "data": {"thread_id": "t-1"},
        "context": {"course_id": COURSE},
    },
}

SEGMENT_IDENTIFY = {
    "messageId": "7d0c2f4e-1111-4a5b-9c3d-000000000004",
    "type": "identify",
    "userId": "57",
    "timestamp": "2024-01-05T09:07:00Z",
    "receivedAt": "2024-01-05T09:07:01Z",
    "traits": {"username": "kim"},
}


CASES: list[tuple[str, str, dict | str]] = [
    (
        "browser video event, payload a JSON-encoded string",
        json.dumps(BROWSER_PLAY_VIDEO),
        {
            "time": datetime(2024, 1, 4, 9, 1, 10, 123456),
            "event_type": "play_video",
            "event_source": "browser",
            "name": "play_video",
            "course_id": COURSE,
            "org_id": "edX",
            "user_id": 42,
            "username": "alice",
            "session": "a1b2c3d4e5f6",
            "ip": "198.51.100.23",
            "host": "lms.example.com",
            "path": "/event",
            "accept_language": "en-US,en;q=0.9",
            "video_id": VIDEO_BLOCK,
            "video_code": "html5",
            "video_current_time": 12.5,
            "video_duration": 187.4,
            "payload_format": "string",
            "problem_id": None,
        },
    ),
    (
        "server problem_check: object payload, answers kept as JSON, tags from the context",
        json.dumps(SERVER_PROBLEM_CHECK),
        {
            "event_type": "problem_check",
            "event_source": "server",
            "user_id": 7,
            "problem_id": PROBLEM_BLOCK,
            "problem_attempts": 2,
            "problem_grade": 1.0,
            "problem_max_grade": 1.0,
            "problem_success": "correct",
            "module_id": PROBLEM_BLOCK,
            "module_display_name": "Checkbox question",
            "payload_format": "object",
            "video_id": None,
        },
    ),
    (
        "browser problem_check: a query-string payload is kept raw",
        json.dumps(BROWSER_PROBLEM_CHECK),
        {
            "payload": BROWSER_PROBLEM_CHECK["event"],
            "payload_format": "string",
            "problem_id": None,
            "time": datetime(2024, 1, 4, 10, 0, 0, 500000),
        },
    ),
    (
        "enrollment by staff: the learner and course come from the payload",
        json.dumps(ENROLLMENT_BY_STAFF),
        {
            "user_id": 99,
            "username": "staff_member",
            "enrollment_mode": "verified",
            "course_id": COURSE,
            "time": datetime(2024, 1, 4, 8, 0, 0, 1),
        },
    ),
    (
        "enrollment without context ids: old-style course key and string user id from the payload",
        json.dumps(ENROLLMENT_NO_CONTEXT_COURSE),
        {"user_id": 31, "course_id": "MITx/6.002x/2012_Fall", "org_id": "MITx", "enrollment_mode": "honor"},
    ),
    (
        "mobile event: object payload, +01:00 offset converted to UTC",
        json.dumps(MOBILE_VIDEO),
        {
            "event_source": "mobile",
            "name": "edx.video.played",
            "video_code": "mobile",
            "video_current_time": 30.0,
            "time": datetime(2024, 1, 4, 10, 0, 0, 250000),
        },
    ),
    (
        "seek: old and new positions",
        json.dumps(SEEK_VIDEO),
        {"video_old_time": 20.0, "video_new_time": 95.5, "video_current_time": None},
    ),
    (
        "speed change: current_time and new_speed (a string) become numbers",
        json.dumps(SPEED_CHANGE),
        {"video_current_time": 40.1, "video_speed": 1.5},
    ),
    (
        "forum comment: post, topic, thread and response ids",
        json.dumps(FORUM_COMMENT),
        {
            "forum_post_id": "comment-5",
            "forum_commentable_id": "week1-topic",
            "forum_thread_id": "thread-1",
            "forum_response_id": "response-3",
            "video_id": None,
        },
    ),
    (
        "course id from context.path when context.course_id is empty; time without offset is UTC",
        json.dumps(OLD_STYLE_PAGE_VIEW),
        {
            "course_id": "MITx/6.002x/2012_Fall",
            "org_id": "MITx",
            "time": datetime(2024, 1, 4, 13, 0, 0),
            "payload_format": "string",
        },
    ),
    (
        "CCX course key",
        json.dumps(CCX_EVENT),
        {"course_id": "ccx-v1:edX+DemoX+2024+ccx@3", "org_id": "edX"},
    ),
    (
        "course id from a URL-encoded page URL; an empty payload is NULL",
        json.dumps(URL_ENCODED_PAGE),
        {"course_id": COURSE, "payload": None, "payload_format": None},
    ),
    (
        "syslog prefix is stripped",
        "Jan 04 09:01:10 lms-1 tracking: " + event_line(time="2024-01-04T16:00:00+00:00"),
        {"event_type": "edx.test.event", "time": datetime(2024, 1, 4, 16, 0)},
    ),
    (
        "LMS logger prefix is stripped",
        "2024-01-04 09:01:10,123 INFO 123 [tracking] [user 5] logger.py:41 - "
        + event_line(time="2024-01-04T16:00:01+00:00"),
        {"event_type": "edx.test.event", "time": datetime(2024, 1, 4, 16, 0, 1)},
    ),
    (
        "other offsets: -05:00 late in the day lands on the next UTC date",
        event_line(time="2024-01-04T23:30:00-05:00"),
        {"time": datetime(2024, 1, 5, 4, 30), "dt": "2024-01-05"},
    ),
    (
        "an invalid course id becomes NULL",
        event_line(time="2024-01-04T17:00:00Z", context={"course_id": "not a course", "user_id": 5}),
        {"course_id": None, "user_id": 5},
    ),
    (
        "a user id that is not a number becomes NULL",
        event_line(time="2024-01-04T17:00:01Z", context={"course_id": COURSE, "user_id": "anonymous"}),
        {"user_id": None, "course_id": COURSE},
    ),
    (
        "course id from the payload when the context has none (rule 6 for every event)",
        json.dumps(BOOKMARK),
        {"course_id": COURSE, "org_id": "edX", "user_id": 14, "payload_format": "object"},
    ),
    (
        "course id from a browser event's JSON-string payload",
        course_event(
            "2024-01-04T15:11:00Z",
            {"course_id": ""},
            json.dumps({"course_id": "MITx/6.002x/2012_Fall", "tool_name": "edx.updates"}),
            event_type="edx.course.tool.accessed",
            event_source="browser",
        ),
        {"course_id": "MITx/6.002x/2012_Fall", "payload_format": "string"},
    ),
    (
        "empty context and payload course ids: the course in context.path",
        course_event(
            "2024-01-04T15:12:00Z",
            {"course_id": "", "path": f"/courses/{COURSE}/progress"},
            {"course_id": ""},
        ),
        {"course_id": COURSE},
    ),
    (
        "an invalid payload course id becomes NULL and does not fall back to the URL",
        course_event(
            "2024-01-04T15:13:00Z",
            {"course_id": "", "path": f"/courses/{COURSE}/progress"},
            {"course_id": "course-v1:edX DemoX"},
        ),
        {"course_id": None},
    ),
    (
        "a URL-encoded context course id is decoded",
        course_event("2024-01-04T15:14:00Z", {"course_id": ENCODED_COURSE}),
        {"course_id": COURSE, "org_id": "edX"},
    ),
    (
        "a URL-encoded context course id that is no key once decoded: the page URL's",
        course_event("2024-01-04T15:15:00Z", {"course_id": ENCODED_COURSE_AND_PATH}, page=PAGE),
        {"course_id": COURSE},
    ),
    (
        "a URL-encoded context course id that is no key once decoded: the payload's comes next",
        course_event(
            "2024-01-04T15:16:00Z",
            {"course_id": ENCODED_COURSE_AND_PATH},
            {"course_id": "MITx/6.002x/2012_Fall"},
            page=PAGE,
        ),
        {"course_id": "MITx/6.002x/2012_Fall", "org_id": "MITx"},
    ),
    (
        "a plain invalid context course id does not fall back to the page URL (as in the original)",
        course_event("2024-01-04T15:17:00Z", {"course_id": "course-v1:edX+DemoX"}, page=PAGE),
        {"course_id": None},
    ),
    (
        "event-tracking format: the request from the context, time from timestamp, learner from data",
        json.dumps(TRACKER_ENROLLMENT),
        {
            "time": datetime(2024, 1, 5, 8, 15, 30, 250000),
            "event_type": "edx.course.enrollment.activated",
            "name": "edx.course.enrollment.activated",
            "event_source": "server",
            "course_id": COURSE,
            "org_id": "edX",
            "user_id": 57,
            "username": "staff_member",
            "session": "5e55",
            "ip": "192.0.2.44",
            "agent": "Mozilla/5.0 (X11)",
            "host": "lms.example.com",
            "referer": f"https://lms.example.com/courses/{COURSE}/instructor",
            "accept_language": "fr",
            "path": "/courses/enroll_via_staff",
            "page": None,
            "enrollment_mode": "audit",
            "payload_format": "object",
        },
    ),
    (
        "event-tracking format, browser event: page from the context, payload a string as the shim writes it",
        json.dumps(TRACKER_BROWSER_VIDEO),
        {
            "event_type": "play_video",
            "event_source": "browser",
            "page": TRACKER_BROWSER_VIDEO["context"]["page"],
            "username": "kim",
            "video_id": "0b9e39477cf34507a7a48f74be381fdd",
            "video_current_time": 61.5,
            "payload_format": "string",
        },
    ),
    (
        "event-tracking format, mobile video: the browser's event type, module_id, page from the app's link",
        json.dumps(TRACKER_MOBILE_PAUSE),
        {
            "time": datetime(2024, 1, 5, 8, 30, 1, 500000),
            "event_type": "pause_video",
            "name": "edx.video.paused",
            "event_source": "mobile",
            "video_id": VIDEO_BLOCK,
            "video_current_time": 75.0,
            "video_code": "mobile",
            "page": f"https://lms.example.com/courses/{COURSE}/jump_to",
        },
    ),
    (
        "event-tracking format: edx.video.seeked is renamed edx.video.position.changed",
        json.dumps(TRACKER_MOBILE_SEEK),
        {
            "event_type": "seek_video",
            "name": "edx.video.position.changed",
            "video_old_time": 75.0,
            "video_new_time": 45.0,
            "page": None,
        },
    ),
    (
        "event-tracking's older format: event_type instead of name",
        json.dumps(
            {"event_type": "edx.test.older", "timestamp": "2024-01-05T08:40:00Z", "data": {}, "context": {}}
        ),
        {"event_type": "edx.test.older", "name": None, "event_source": "server", "payload_format": "object"},
    ),
    (
        "event-tracking format without a name",
        json.dumps({"timestamp": "2024-01-05T08:41:00Z", "data": {}, "context": {"user_id": 3}}),
        "missing_event_type",
    ),
    (
        "event-tracking format with a timestamp that is no time",
        json.dumps({"name": "edx.test.event", "timestamp": "soon", "data": {}, "context": {}}),
        "invalid_time",
    ),
    (
        "Segment track message from a mobile app: the edX event in its properties",
        json.dumps(SEGMENT_VIDEO),
        {
            "time": datetime(2024, 1, 5, 9, 0, 0, 125000),
            "event_type": "play_video",
            "name": "edx.video.played",
            "event_source": "mobile",
            "course_id": COURSE,
            "org_id": "edX",
            "user_id": 57,
            "username": "kim",
            "ip": "10.1.2.3",
            "agent": "Dalvik/2.1.0 (Linux; U; Android 13)",
            "host": None,
            "session": None,
            "path": None,
            "page": f"https://lms.example.com/courses/{COURSE}/jump_to",
            "video_id": VIDEO_BLOCK,
            "video_current_time": 12.25,
            "video_code": "mobile",
            "payload_format": "object",
        },
    ),
    (
        "Segment message: properties.course_id wins over the context's (Android BI events)",
        json.dumps(SEGMENT_BI_EVENT),
        {"event_type": "edx.bi.app.course.outline", "course_id": "MITx/6.002x/2012_Fall", "org_id": "MITx"},
    ),
    (
        "Segment message from old Android apps: the forum thread screen named by its label",
        json.dumps(SEGMENT_FORUM_SCREEN),
        {
            "event_type": "edx.bi.app.navigation.screen",
            "name": "edx.bi.app.navigation.screen",
            "course_id": COURSE,
        },
    ),
    ("Segment identify message: not an event", json.dumps(SEGMENT_IDENTIFY), "segment_message"),
    (
        "Segment track message without properties.name: not an edX event",
        json.dumps({**SEGMENT_VIDEO, "properties": {"category": "screen", "data": {}}}),
        "segment_message",
    ),
    (
        "JSON with a timestamp but in neither format (an application log line)",
        json.dumps({"timestamp": "2024-01-05T09:10:00Z", "level": "info", "message": "worker started"}),
        "missing_time",
    ),
    ("empty line", "", "empty"),
    ("white space only", "   \t", "empty"),
    ("no JSON at all", "Jan 04 09:01:10 lms-1 kernel: eth0 link up", "not_json"),
    ("truncated JSON", event_line(time="2024-01-04T18:00:00Z")[:80], "truncated"),
    ("malformed JSON", '{"time": "2024-01-04T18:00:00Z", "event_type": oops}', "invalid_json"),
    ("no time", json.dumps({"event_type": "x", "event": {}}), "missing_time"),
    ("time not ISO-8601", event_line(time="yesterday at noon"), "invalid_time"),
    ("no event_type", json.dumps({"time": "2024-01-04T18:00:00Z", "event": {}}), "missing_event_type"),
    ("empty event_type", event_line(time="2024-01-04T18:00:01Z", event_type=""), "missing_event_type"),
]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> dict[int, dict | str]:
    """Ingest every case's line (line number = case index + 1); map line numbers to results."""
    from edinsights.config import Settings
    from edinsights.events.store import EventStore

    root = tmp_path_factory.mktemp("parsing")
    log = write_log(root / "tracking.log", [line for _, line, _ in CASES])
    store = EventStore(Settings.load(root / "home").store_path)
    summary = run_ingest(store, log)
    assert summary.lines_read == len(CASES)
    results: dict[int, dict | str] = {row["source_line"]: row for row in stored_events(store)}
    for row in quarantined(store):
        results[row["line_no"]] = row["reason"]
    return results


@pytest.mark.parametrize(("index", "case"), list(enumerate(CASES)), ids=[case[0] for case in CASES])
def test_line(ingested: dict[int, dict | str], index: int, case: tuple[str, str, dict | str]) -> None:
    _, _, expected = case
    result = ingested[index + 1]
    if isinstance(expected, str):
        assert result == expected
        return
    assert isinstance(result, dict), f"rejected as {result}"
    for column, value in expected.items():
        actual = result[column]
        if column == "dt":
            actual = actual.isoformat()
        assert actual == value, column


def test_answers_stay_json_text_and_parts_and_tags_are_extracted(ingested: dict[int, dict | str]) -> None:
    row = ingested[2]
    assert isinstance(row, dict)
    assert json.loads(row["problem_answers"]) == SERVER_PROBLEM_CHECK["event"]["answers"]
    assert json.loads(row["problem_submission"]) == SERVER_PROBLEM_CHECK["event"]["submission"]
    assert json.loads(row["problem_correct_map"]) == SERVER_PROBLEM_CHECK["event"]["correct_map"]
    assert json.loads(row["payload"]) == SERVER_PROBLEM_CHECK["event"]
    assert row["problem_parts"] == [
        {
            "part_id": "d2e35c1d294b4ba0b3b1048615605d2a_2_1",
            "value_id": "[choice_0|choice_2]",
            "answer_value": "[2|5]",
            "correct": True,
            "variant": None,
            "question_text": "Which are prime?",
        }
    ]
    assert row["problem_tags"] == [
        {"name": "difficulty_tag", "value": "hard"},
        {"name": "learning_outcome_tag", "value": "LO1"},
    ]


PART = "d2e35c1d294b4ba0b3b1048615605d2a_2_1"

# (case, the problem_check payload and saved tags, the expected problem_parts and problem_tags)
PARTS_CASES = [
    (
        "old format: answers and correct_map only",
        {"answers": {PART: "choice_1"}, "correct_map": {PART: {"correctness": "incorrect"}}},
        None,
        [{"part_id": PART, "value_id": "choice_1", "answer_value": "choice_1", "correct": False}],
        None,
    ),
    (
        "old format, checkbox list, part missing from correct_map",
        {"answers": {PART: ["choice_0", "choice_3"]}, "correct_map": {}},
        None,
        [{"part_id": PART, "value_id": "[choice_0|choice_3]", "answer_value": "[choice_0|choice_3]"}],
        None,
    ),
    (
        "HTML of a choice label and of the question is reduced to text; variant kept",
        {
            "answers": {PART: "choice_2"},
            "submission": {
                PART: {
                    "question": "<p>Is  <b>x &lt; y</b>?</p>",
                    "answer": "<span class='x'>Yes &amp; no</span>",
                    "correct": False,
                    "variant": 17,
                }
            },
        },
        None,
        [
            {
                "part_id": PART,
                "value_id": "choice_2",
                "answer_value": "Yes & no",
                "correct": False,
                "variant": "17",
                "question_text": "Is x < y?",
            }
        ],
        None,
    ),
    (
        "two parts; numeric answer; tag values in a list",
        {
            "answers": {"a_2_1": "3.14", "a_3_1": "yes"},
            "submission": {
                "a_2_1": {"answer": "3.14", "correct": True, "variant": ""},
                "a_3_1": {"answer": "yes", "correct": False, "variant": ""},
            },
        },
        {"learning_outcome_tag": ["LO1", "LO2"]},
        [
            {"part_id": "a_2_1", "value_id": "3.14", "answer_value": "3.14", "correct": True},
            {"part_id": "a_3_1", "value_id": "yes", "answer_value": "yes", "correct": False},
        ],
        [{"name": "learning_outcome_tag", "value": "LO1"}, {"name": "learning_outcome_tag", "value": "LO2"}],
    ),
    (
        "what a learner typed is kept as typed, markup and entities included; white space collapsed",
        {
            "answers": {"a_2_1": "<script>alert(1)</script>", "a_3_1": " x &lt; <b>y</b>\t\tz "},
            "submission": {
                "a_2_1": {
                    "answer": "<script>alert(1)</script>",
                    "correct": False,
                    "response_type": "stringresponse",
                },
                "a_3_1": {
                    "answer": " x &lt; <b>y</b>\t\tz ",
                    "correct": False,
                    "question": "<p>Type <i>it</i></p>",
                },
            },
        },
        None,
        [
            {
                "part_id": "a_2_1",
                "value_id": "<script>alert(1)</script>",
                "answer_value": "<script>alert(1)</script>",
                "correct": False,
            },
            {
                "part_id": "a_3_1",
                "value_id": "x &lt; <b>y</b> z",
                "answer_value": "x &lt; <b>y</b> z",
                "correct": False,
                "question_text": "Type it",
            },
        ],
        None,
    ),
    (
        "old format: a typed answer keeps its markup",
        {
            "answers": {PART: "<img src=x onerror=alert(1)>"},
            "correct_map": {PART: {"correctness": "incorrect"}},
        },
        None,
        [
            {
                "part_id": PART,
                "value_id": "<img src=x onerror=alert(1)>",
                "answer_value": "<img src=x onerror=alert(1)>",
                "correct": False,
            }
        ],
        None,
    ),
    (
        "checkbox labels authored as HTML are reduced to text, the choice ids kept",
        {
            "answers": {PART: ["choice_0", "choice_2"]},
            "submission": {PART: {"answer": ["<text>Yes</text>", "<b>No</b> &amp; maybe"], "correct": True}},
        },
        None,
        [
            {
                "part_id": PART,
                "value_id": "[choice_0|choice_2]",
                "answer_value": "[Yes|No & maybe]",
                "correct": True,
            }
        ],
        None,
    ),
    ("no answers at all", {"problem_id": PROBLEM_BLOCK}, {}, None, []),
    ("answers not an object", {"answers": "input_x=1"}, None, None, None),
]


def test_problem_parts_and_tags(tmp_path: Path) -> None:
    from edinsights.config import Settings
    from edinsights.events.store import EventStore

    lines = []
    for _, payload, tags, _, _ in PARTS_CASES:
        context = {"course_id": COURSE, "user_id": 7}
        if tags is not None:
            context["asides"] = {"tagging_aside": {"saved_tags": tags}}
        lines.append(
            event_line(event_type="problem_check", event_source="server", context=context, event=payload)
        )
    store = EventStore(Settings.load(tmp_path / "home").store_path)
    run_ingest(store, write_log(tmp_path / "log", lines))
    rows = stored_events(store)
    assert len(rows) == len(PARTS_CASES)
    empty = {"value_id": None, "answer_value": None, "correct": None, "variant": None, "question_text": None}
    for (name, _, _, parts, tags), row in zip(PARTS_CASES, rows, strict=True):
        expected_parts = None if parts is None else [{**empty, **part} for part in parts]
        assert row["problem_parts"] == expected_parts, name
        assert row["problem_tags"] == tags, name


def test_quarantine_keeps_the_line(tmp_path: Path) -> None:
    from edinsights.config import Settings
    from edinsights.events.store import EventStore

    bad = '{"time": "2024-01-04T18:00:00Z", "event_type": oops}'
    log = write_log(tmp_path / "log", [event_line(), bad])
    store = EventStore(Settings.load(tmp_path / "home").store_path)
    summary = run_ingest(store, log)
    assert summary.rejected == {"invalid_json": 1}
    [row] = quarantined(store)
    assert row == {"source_file": str(log), "line_no": 2, "reason": "invalid_json", "line": bad}
