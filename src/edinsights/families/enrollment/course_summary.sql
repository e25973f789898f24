-- Per course and mode, from the by-mode daily counts (`mode_daily`, the enrollment_mode_daily
-- query): the count and cumulative count on the last day, and the change over its last 7 days;
-- with the course's catalog entry from the imported structure (`structure_courses`, NULL
-- columns for a course without one). Availability is as of the end of the last computed day
-- (midnight UTC after $date_to): Archived once the course has ended, Current once it has
-- started, Upcoming before (course-discovery's rule, its "Starting Soon" collapsed into
-- Upcoming as the original API shows it).
WITH counts AS (
    SELECT
        course_id,
        mode AS enrollment_mode,
        arg_max(count, date) AS count,
        arg_max(cumulative_count, date) AS cumulative_count,
        CAST(
            arg_max(count, date)
            - coalesce(arg_max(count, date) FILTER (WHERE date <= CAST($date_to AS DATE) - INTERVAL 7 DAY), 0)
            AS INTEGER
        ) AS count_change_7_days
    FROM mode_daily
    GROUP BY course_id, mode
),
catalog AS (
    SELECT
        course_id,
        name,
        org || '+' || number AS catalog_course,
        start_date,
        end_date,
        pacing,
        CAST(CAST($date_to AS DATE) + INTERVAL 1 DAY AS TIMESTAMP) AS as_of
    FROM structure_courses
)
SELECT
    counts.course_id,
    catalog.name AS catalog_course_title,
    catalog.catalog_course,
    catalog.start_date AS start_time,
    catalog.end_date AS end_time,
    CASE catalog.pacing WHEN 'instructor' THEN 'instructor_paced' WHEN 'self' THEN 'self_paced' END AS pacing_type,
    CASE
        WHEN catalog.course_id IS NULL THEN NULL
        WHEN catalog.end_date < catalog.as_of THEN 'Archived'
        WHEN catalog.start_date <= catalog.as_of THEN 'Current'
        ELSE 'Upcoming'
    END AS availability,
    counts.enrollment_mode,
    counts.count,
    counts.cumulative_count,
    counts.count_change_7_days,
    CAST(NULL AS INTEGER) AS passing_users
FROM counts
LEFT JOIN catalog ON catalog.course_id = counts.course_id
ORDER BY counts.course_id, counts.enrollment_mode
