-- Tracking-log lines: the JSON object is the event.
lines AS (
    SELECT
        line_no,
        js,
        hash(js) AS event_id,
        CASE
            WHEN json_valid(js) THEN NULL
            WHEN suffix(rtrim(js), '}}') THEN 'invalid_json'
            ELSE 'truncated'
        END AS invalid_reason,
        CASE WHEN json_valid(js) THEN from_json(js, '{envelope}') END AS r
    FROM candidates
),
parsed AS (
    SELECT
        line_no,
        event_id,
        CASE
            -- Rule 13: a line without `time` that has a key of another format is read again, by
            -- OTHER_FORMAT_LINES; the text search runs only on lines without `time`.
            WHEN r IS NOT NULL AND r.time IS NULL AND regexp_matches(js, '"(timestamp|messageId|receivedAt)"')
                THEN 'other_format'
            ELSE invalid_reason
        END AS invalid_reason,
        NULL::VARCHAR AS line_format,
        r
    FROM lines
)
