-- Per course and metric of `learner_metrics` (course_id, metric, value; NULL = not counted),
-- the original's ranges. L and H are the 15th and 85th percentiles of the counted values with
-- linear interpolation between the two nearest ranks, computed as numpy (>= 1.22) does, to the
-- last bit: an infinite neighbour makes the result NaN (inf - inf, or inf x 0 at weight 0),
-- and NaN counts as +inf:
--   low [0, L) when L > 0; normal [L, +inf) when L = H, else normal [L, H) and high [H, +inf);
--   no counted value: normal [0, +inf). Intervals are half-open; +inf is published as NULL.
-- Names in double braces: vocabulary.py (the range types, in order, and the percentiles).
, ranked AS (
    SELECT
        course_id,
        metric,
        value,
        row_number() OVER (PARTITION BY course_id, metric ORDER BY value) - 1 AS position,
        count(*) OVER (PARTITION BY course_id, metric) AS n
    FROM learner_metrics
    WHERE value IS NOT NULL
),
split_points AS (
    -- The fraction as a DOUBLE (not a decimal literal): numpy's rank, to the last bit.
    SELECT DISTINCT course_id, metric, n, bound, CAST(fraction AS DOUBLE) * (n - 1) AS rank
    FROM ranked
    CROSS JOIN (VALUES ('lower', {{LOW_PERCENTILE}}), ('upper', {{HIGH_PERCENTILE}})) AS percentiles (bound, fraction)
),
neighbours AS (
    SELECT
        point.course_id,
        point.metric,
        point.bound,
        point.rank - floor(point.rank) AS weight,
        below.value AS below,
        above.value AS above
    FROM split_points AS point
    JOIN ranked AS below
        ON below.course_id = point.course_id AND below.metric = point.metric
        AND below.position = floor(point.rank)
    JOIN ranked AS above
        ON above.course_id = point.course_id AND above.metric = point.metric
        AND above.position = least(floor(point.rank) + 1, point.n - 1)
),
interpolated AS (
    -- From the nearer neighbour, so that equal neighbours give exactly their value.
    SELECT
        course_id,
        metric,
        bound,
        CASE
            WHEN weight >= 0.5 THEN above - (above - below) * (1 - weight)
            ELSE below + (above - below) * weight
        END AS value
    FROM neighbours
),
bounds AS (
    SELECT
        metrics.course_id,
        metrics.metric,
        max(CASE WHEN point.bound = 'lower' THEN point.value END) AS low,
        max(CASE WHEN point.bound = 'upper' THEN point.value END) AS high
    FROM (SELECT DISTINCT course_id, metric FROM learner_metrics) AS metrics
    LEFT JOIN (
        SELECT
            course_id,
            metric,
            bound,
            CASE WHEN isnan(value) THEN CAST('Infinity' AS DOUBLE) ELSE value END AS value
        FROM interpolated
    ) AS point ON point.course_id = metrics.course_id AND point.metric = metrics.metric
    GROUP BY metrics.course_id, metrics.metric
),
ranges AS (
    SELECT course_id, metric, {{LOW}} AS range_type, CAST(0 AS DOUBLE) AS low_value,
        low AS high_value
    FROM bounds
    WHERE low > 0
    UNION ALL
    SELECT course_id, metric, {{NORMAL}}, coalesce(low, 0),
        CASE WHEN low < high THEN high ELSE CAST('Infinity' AS DOUBLE) END
    FROM bounds
    UNION ALL
    SELECT course_id, metric, {{HIGH}}, high, CAST('Infinity' AS DOUBLE)
    FROM bounds
    WHERE low < high
)
SELECT
    course_id,
    CAST($date_to - INTERVAL 6 DAY AS DATE) AS start_date,
    CAST($date_to + INTERVAL 1 DAY AS DATE) AS end_date,
    metric,
    range_type,
    CASE WHEN isinf(low_value) THEN NULL ELSE low_value END AS low_value,
    CASE WHEN isinf(high_value) THEN NULL ELSE high_value END AS high_value
FROM ranges
ORDER BY course_id, metric, list_position({{RANGE_TYPES}}, range_type)
