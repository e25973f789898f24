SELECT course_id, username, date, entity_type, entity_id, event, count
FROM engagement
ORDER BY course_id, date, username, entity_type, entity_id, event
