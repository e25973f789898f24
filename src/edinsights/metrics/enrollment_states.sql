-- Shared by the enrollment metrics: each learner's end-of-day enrollment state and mode in each
-- course, on the days they have enrollment events, and the state before their first event.
WITH enrollment_events AS (
    SELECT
        course_id,
        user_id,
        time,
        dt,
        event_type,
        enrollment_mode AS mode,
        -- Events at the same instant: activation, then mode change, then deactivation.
        CASE event_type
            WHEN 'edx.course.enrollment.activated' THEN 1
            WHEN 'edx.course.enrollment.mode_changed' THEN 2
            ELSE 3
        END AS rank
    FROM events
    WHERE event_type IN (
            'edx.course.enrollment.activated',
            'edx.course.enrollment.deactivated',
            'edx.course.enrollment.mode_changed'
        )
        AND course_id IS NOT NULL
        AND user_id IS NOT NULL
        AND dt <= $date_to
),
day_states AS (
    SELECT
        course_id,
        user_id,
        dt AS date,
        arg_max(event_type <> 'edx.course.enrollment.deactivated', (time, rank)) AS enrolled,
        arg_max(mode, (time, rank)) AS mode,
        bool_or(event_type = 'edx.course.enrollment.activated') AS activated,
        arg_min(event_type, (time, rank)) AS first_type_of_day,
        arg_min(mode, (time, rank)) AS first_mode_of_day
    FROM enrollment_events
    GROUP BY course_id, user_id, dt
),
transitions AS (
    SELECT
        *,
        -- Before a learner's first event: enrolled if that event is not an activation (they
        -- enrolled before the logs began), in the mode that event names.
        coalesce(
            lag(enrolled) OVER learner,
            first_type_of_day <> 'edx.course.enrollment.activated'
        ) AS enrolled_before,
        coalesce(lag(mode) OVER learner, first_mode_of_day) AS mode_before,
        row_number() OVER learner = 1 AS first_day_of_learner
    FROM day_states
    WINDOW learner AS (PARTITION BY course_id, user_id ORDER BY date)
),
course_first_days AS (
    SELECT course_id, min(dt) AS first_day FROM enrollment_events GROUP BY course_id
),
course_days AS (
    SELECT course_id, CAST(unnest(generate_series(first_day, CAST($date_to AS DATE), INTERVAL 1 DAY)) AS DATE) AS date
    FROM course_first_days
),
-- Learners enrolled before the logs began count from the course's first day.
prelog AS (
    SELECT t.course_id, t.user_id, f.first_day AS date, t.mode_before AS mode
    FROM transitions AS t
    JOIN course_first_days AS f USING (course_id)
    WHERE t.first_day_of_learner AND t.enrolled_before
)
