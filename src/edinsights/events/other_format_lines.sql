-- Lines without `time` (rule 13): `r` is the tracking-log event the LMS would have written for
-- them, field by field as its legacy shim (common/djangoapps/track/shim.py) and Segment webhook
-- (track/views/segmentio.py) do. The candidates are valid JSON already.
lines AS (
    SELECT line_no, hash(js) AS event_id, from_json(js, '{other_formats}') AS o
    FROM candidates SEMI JOIN timeless USING (line_no)
),
formats AS (
    SELECT
        *,
        CASE
            WHEN o.type IS NOT NULL AND coalesce(o.messageId, o.receivedAt) IS NOT NULL THEN 'segment'
            WHEN o.timestamp IS NOT NULL AND o.data IS NOT NULL THEN 'eventtracking'
        END AS line_format,
        -- Old Android apps named their forum-thread screen event only in its label.
        coalesce(
            o.properties.name,
            CASE WHEN o.properties.label = 'Forum: View Thread' THEN 'edx.bi.app.navigation.screen' END
        ) AS segment_name,
        CASE line_format WHEN 'segment' THEN segment_name ELSE o.name END AS raw_name,
        CASE line_format WHEN 'segment' THEN o.properties.context ELSE o.context END AS app_context
    FROM lines
),
names AS (
    -- The transformer renames edx.video.seeked, and sets a video event's page from the app's link.
    SELECT
        *,
        CASE raw_name {legacy_video_types} END AS legacy_video_type,
        CASE WHEN raw_name = 'edx.video.seeked' THEN 'edx.video.position.changed' ELSE raw_name END
            AS event_name,
        CASE WHEN legacy_video_type IS NOT NULL
            THEN nullif(regexp_extract(app_context.open_in_browser_url, '^(.*)/', 1), '')
        END AS video_page
    FROM formats
),
parsed AS (
    SELECT
        line_no,
        event_id,
        CASE
            WHEN line_format = 'segment' AND (lower(o.type) <> 'track' OR segment_name IS NULL)
                THEN 'segment_message'
        END AS invalid_reason,
        line_format,
        CASE line_format WHEN 'eventtracking' THEN {{
            'time': coalesce(o.context.timestamp, o.timestamp),
            'event_type': coalesce(legacy_video_type, o.context.event_type, o.event_type, o.name),
            'event_source': coalesce(o.context.event_source, 'server'),
            'name': event_name,
            {tracker_request_fields},
            'page': coalesce(video_page, o.context.page),
            'context': {{
                'course_id': o.context.course_id,
                'org_id': o.context.org_id,
                'user_id': o.context.user_id,
                'path': o.context.path,
                'module': o.context.module,
                'asides': o.context.asides
            }},
            -- The shim sends a browser event's payload as a JSON-encoded string, as browsers do.
            'event': CASE
                WHEN o.context.event_source = 'browser' AND json_type(o.data) = 'OBJECT'
                    THEN to_json(o.data::VARCHAR)
                ELSE o.data
            END
        }} WHEN 'segment' THEN {{
            'time': o.timestamp,
            'event_type': coalesce(legacy_video_type, segment_name),
            'event_source': 'mobile',
            'name': event_name,
            'username': o.context.traits.username,
            'session': NULL,
            'ip': o.properties.context.ip,
            'agent': o.context.userAgent,
            'host': NULL,
            'referer': NULL,
            'accept_language': NULL,
            'page': video_page,
            'context': {{
                'course_id': coalesce(o.properties.course_id, o.properties.context.course_id),
                'org_id': o.properties.context.org_id,
                'user_id': o.userId,
                'path': NULL,
                'module': o.properties.context.module,
                'asides': NULL
            }},
            'event': o.properties.data
        }} END AS r
    FROM names
)
