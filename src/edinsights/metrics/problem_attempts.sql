-- Shared by weekly activity and learner engagement (edinsights.metrics.snippets): the learners' problem attempts.
-- As in the original: server `problem_check` (capa problems), `correct` when its `success` is
-- `correct` (in any case). `{{CORRECT}}`: snippets.CORRECT, rendered in at load.
-- Beyond the original: server `edx.grades.problem.submitted` of the other graded problem kinds
-- (drag and drop, open response, LTI...): the one event every graded kind logs when a score is
-- set. A capa submission logs it too, beside its problem_check, so it is taken only for blocks
-- whose usage key names a type other than `problem` (no block type: not taken). It counts as an
-- attempt, never as a completion (its score is not extracted into the event store).
WITH problem_attempts AS (
    SELECT course_id, user_id, username, dt, problem_id, lower(problem_success) = {{CORRECT}} AS correct
    FROM events
    WHERE event_source = 'server'
        AND course_id IS NOT NULL
        AND dt BETWEEN $date_from AND $date_to
        AND (
            event_type = 'problem_check'
            OR (
                event_type = 'edx.grades.problem.submitted'
                AND coalesce(
                    nullif(regexp_extract(problem_id, 'type@([^+@]+)\+block@', 1), ''),
                    nullif(regexp_extract(problem_id, '^i4x://[^/]+/[^/]+/([^/]+)/', 1), ''),
                    'problem'
                ) <> 'problem'
            )
        )
)
