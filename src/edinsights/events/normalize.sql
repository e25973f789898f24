WITH {lines},
envelopes AS (
    SELECT
        line_no,
        event_id,
        invalid_reason,
        line_format,
        r.time AS time_text,
        r.event_type AS event_type,
        r.event_source AS event_source,
        r.name AS name,
        r.username AS username,
        r.session AS session,
        r.ip AS ip,
        r.agent AS agent,
        r.host AS host,
        r.page AS page,
        r.referer AS referer,
        r.accept_language AS accept_language,
        r.context.course_id AS context_course_id,
        r.context.org_id AS org_id,
        r.context.user_id AS context_user_id,
        r.context.path AS path,
        r.context.module.usage_key AS module_id,
        r.context.module.display_name AS module_display_name,
        r.context.asides.tagging_aside.saved_tags AS tags,
        json_type(r.event) AS event_json_type,
        CASE WHEN json_type(r.event) = 'VARCHAR' THEN r.event ->> '$' ELSE r.event::VARCHAR END AS event_text
    FROM parsed
),
decoded AS (
    SELECT
        * EXCLUDE (event_json_type, event_text),
        CASE
            WHEN event_json_type = 'OBJECT' THEN 'object'
            WHEN event_json_type = 'VARCHAR' AND event_text <> '' THEN 'string'
            WHEN event_json_type IN ('ARRAY', 'BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN') THEN 'other'
        END AS payload_format,
        nullif(event_text, '') AS payload,
        starts_with(event_type, 'edx.course.enrollment.') AS is_enrollment,
        event_type IN ({video_types}) OR starts_with(event_type, 'edx.video.') AS is_video,
        starts_with(event_type, 'edx.forum.') AS is_forum,
        contains(event_type, 'problem') AS is_problem
    FROM envelopes
),
fields AS (
    SELECT
        * EXCLUDE (time_text),
        -- Only the event families whose fields are extracted pay for a second JSON parse.
        CASE WHEN (is_enrollment OR is_video OR is_forum OR is_problem) AND (
            payload_format = 'object'
            OR (payload_format = 'string' AND starts_with(payload, '{{') AND json_valid(payload))
        ) THEN from_json(payload, '{payload}') END AS p,
        -- The other events need only the payload's course id (rule 6): a text search spares
        -- the JSON parse for the many payloads that have none.
        CASE WHEN NOT (is_enrollment OR is_video OR is_forum OR is_problem)
            AND contains(payload, '"course_id"')
            AND (payload_format = 'object' OR (starts_with(payload, '{{') AND json_valid(payload)))
        THEN payload ->> '$.course_id' END AS other_payload_course_id,
        time_text,
        try_cast(time_text AS TIMESTAMPTZ)::TIMESTAMP AS parsed_time
    FROM decoded
),
courses AS (
    SELECT
        *,
        nullif(context_course_id, '') AS context_course,
        nullif(coalesce(p.course_id, other_payload_course_id), '') AS payload_course,
        -- Rule 6's order: the context, then the payload; enrollment events the other way round.
        CASE WHEN is_enrollment
            THEN coalesce(payload_course, context_course)
            ELSE coalesce(context_course, payload_course)
        END AS course_candidate,
        CASE WHEN course_candidate IS NULL OR contains(course_candidate, '%') THEN coalesce(
            nullif(regexp_extract(path, '{course_in_path}', 1), ''),
            nullif(regexp_extract(page, '{course_in_path}', 1), '')
        ) END AS course_in_url
    FROM fields
)
SELECT
    line_no,
    CASE
        WHEN invalid_reason IS NOT NULL THEN invalid_reason
        WHEN time_text IS NULL THEN 'missing_time'
        WHEN parsed_time IS NULL THEN 'invalid_time'
        WHEN nullif(event_type, '') IS NULL THEN 'missing_event_type'
    END AS reject_reason,
    line_format,
    event_id,
    parsed_time AS time,
    event_type,
    lower(nullif(event_source, '')) AS event_source,
    nullif(name, '') AS name,
    course_candidate,
    -- What `course_candidate` falls back to when it is not a valid key (see _resolve_courses):
    -- nothing when the explicit id is plain; when it is absent, the URL's; when it is
    -- URL-encoded, the next source in the order.
    CASE
        WHEN course_candidate IS NULL THEN course_in_url
        WHEN contains(course_candidate, '%') THEN coalesce(
            CASE WHEN course_candidate = context_course THEN payload_course ELSE context_course END,
            course_in_url
        )
    END AS course_fallback,
    nullif(org_id, '') AS org_id,
    CASE WHEN is_enrollment
        THEN coalesce(try_cast(p.user_id AS BIGINT), try_cast(context_user_id AS BIGINT))
        ELSE try_cast(context_user_id AS BIGINT)
    END AS user_id,
    nullif(username, '') AS username,
    nullif(session, '') AS session,
    nullif(ip, '') AS ip,
    nullif(agent, '') AS agent,
    nullif(host, '') AS host,
    nullif(page, '') AS page,
    nullif(path, '') AS path,
    nullif(referer, '') AS referer,
    nullif(accept_language, '') AS accept_language,
    nullif(module_id, '') AS module_id,
    nullif(module_display_name, '') AS module_display_name,
    CASE WHEN is_enrollment THEN nullif(p.mode, '') END AS enrollment_mode,
    -- Mobile apps name the video by `module_id`; the LMS's transformer turns that into `id`.
    CASE WHEN is_video THEN nullif(coalesce(p.id, p.module_id), '') END AS video_id,
    CASE WHEN is_video THEN nullif(p.code, '') END AS video_code,
    CASE WHEN is_video THEN try_cast(coalesce(p.currentTime, p.current_time) AS DOUBLE) END
        AS video_current_time,
    CASE WHEN is_video THEN try_cast(p.old_time AS DOUBLE) END AS video_old_time,
    CASE WHEN is_video THEN try_cast(p.new_time AS DOUBLE) END AS video_new_time,
    CASE WHEN is_video THEN try_cast(p.duration AS DOUBLE) END AS video_duration,
    CASE WHEN is_video THEN try_cast(p.new_speed AS DOUBLE) END AS video_speed,
    nullif(p.problem_id, '') AS problem_id,
    try_cast(p.attempts AS INTEGER) AS problem_attempts,
    try_cast(p.grade AS DOUBLE) AS problem_grade,
    try_cast(p.max_grade AS DOUBLE) AS problem_max_grade,
    nullif(p.success, '') AS problem_success,
    p.answers::VARCHAR AS problem_answers,
    p.submission::VARCHAR AS problem_submission,
    p.correct_map::VARCHAR AS problem_correct_map,
    NULL AS problem_parts,  -- filled in by PROBLEM_SQL, over the problem rows only
    tags::VARCHAR AS problem_tags,  -- JSON text until PROBLEM_SQL makes it a list
    CASE WHEN is_forum THEN nullif(p.id, '') END AS forum_post_id,
    CASE WHEN is_forum THEN nullif(p.commentable_id, '') END AS forum_commentable_id,
    CASE WHEN is_forum THEN nullif(p.discussion.id, '') END AS forum_thread_id,
    CASE WHEN is_forum THEN nullif(p.response.id, '') END AS forum_response_id,
    payload,
    payload_format
FROM courses
