"""Video engagement: viewing segments per learner, rolled up per video and per 5-second segment.

Rules (docs/metrics.md): a play opens a viewing, the next pause, stop or seek closes it; bursts
of plays keep the last; a play right after a seek starts at the seek's target. Viewings that
are impossible or tiny are discarded. Both tables are recomputed whole: a video's duration and
its learners depend on all of its history.
"""

from __future__ import annotations

from edinsights.metrics.registry import Intermediate, Metric, sql_beside
from edinsights.metrics.snippets import VIDEO_EVENTS

# Both video tables read the per-segment counts: computed once (the viewings are most of the work).
VIDEO_SEGMENTS = Intermediate("video_segments", VIDEO_EVENTS + sql_beside(__file__, "video_segments.sql"))

VIDEO = Metric(
    name="video",
    inputs=("events",),
    sql=sql_beside(__file__, "video.sql"),
    intermediates=(VIDEO_SEGMENTS,),
    table="video",
    description="Per video: duration, learners at the start and near the end, seconds viewed.",
)

VIDEO_TIMELINE = Metric(
    name="video_timeline",
    inputs=("events",),
    sql=sql_beside(__file__, "video_timeline.sql"),
    intermediates=(VIDEO_SEGMENTS,),
    table="video_timeline",
    description="Per video and 5-second segment: viewings covering it and distinct learners.",
)
