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
        -- Events at the same instant: activation, then deactivation, then mode change (the
        -- order the LMS emits them in, and the original's).
        CASE event_type
            WHEN 'edx.course.enrollment.activated' THEN 1
            WHEN 'edx.course.enrollment.deactivated' THEN 2
            ELSE 3
        END AS rank,
        -- What the event says of the enrollment's state: a mode change says nothing.
        CASE event_type
            WHEN 'edx.course.enrollment.activated' THEN true
            WHEN 'edx.course.enrollment.deactivated' THEN false
        END AS activates
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
event_states AS (
    -- The state after each event: that of the latest activation or deactivation so far; before
    -- any, enrolled if the learner's first event is not an activation (they enrolled before
    -- the logs began).
    SELECT
        *,
        coalesce(
            last_value(activates IGNORE NULLS) OVER (learner ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
            first_value(rank) OVER learner <> 1
        ) AS enrolled_after,
        coalesce(
            last_value(activates IGNORE NULLS) OVER (learner ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
            first_value(rank) OVER learner <> 1
        ) AS enrolled_prior
    FROM enrollment_events
    WINDOW learner AS (PARTITION BY course_id, user_id ORDER BY time, rank, mode)
),
day_states AS (
    -- A learner's end-of-day state and mode: those after their latest event of the day (the
    -- mode of a deactivation too: the LMS names the enrollment's mode in every event).
    SELECT
        course_id,
        user_id,
        dt AS date,
        arg_max(enrolled_after, (time, rank, mode)) AS enrolled,
        arg_max(mode, (time, rank, mode)) AS mode,
        bool_or(rank = 1) AS activated,
        arg_min(enrolled_prior, (time, rank, mode)) AS enrolled_at_start,
        arg_min(mode, (time, rank, mode)) AS first_mode_of_day
    FROM event_states
    GROUP BY course_id, user_id, dt
),
transitions AS (
    SELECT
        *,
        coalesce(lag(enrolled) OVER learner, enrolled_at_start) AS enrolled_before,
        -- Before a learner's first event, the mode that event names.
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
