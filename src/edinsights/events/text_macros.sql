-- Answers as text: a list of values becomes `[a|b|c]`, white space is collapsed. Only text the
-- course team authored as HTML (choice labels, questions) is reduced to its text (plain_text:
-- block tags become spaces, inline tags vanish, the common entities are decoded); what a learner
-- typed is kept as typed (typed_text), `<script>alert(1)</script>` included: the dashboard and
-- the API escape it where they show it.
CREATE TEMP MACRO plain_text(value) AS nullif(trim(CASE
    -- Most answers are plain already: only markup, entities or runs of white space pay for this.
    WHEN regexp_matches(value, '[<&\t\n\r]|\s\s') THEN regexp_replace(
        replace(replace(replace(replace(replace(replace(
            regexp_replace(
                regexp_replace(value, '</?(p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|pre)\b[^>]*>', ' ', 'gi'),
                '<[^>]*>', '', 'g'),
            '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&'),
        '\s+', ' ', 'g')
    ELSE value
END), '');
CREATE TEMP MACRO typed_text(value) AS nullif(trim(CASE
    WHEN regexp_matches(value, '[\t\n\r]|\s\s') THEN regexp_replace(value, '\s+', ' ', 'g')
    ELSE value
END), '');
CREATE TEMP MACRO some_text(value, authored) AS CASE
    WHEN authored THEN plain_text(value)
    ELSE typed_text(value)
END;
CREATE TEMP MACRO json_items(value) AS {
    'list': json_type(value) = 'ARRAY',
    'items': CASE
        WHEN json_type(value) = 'ARRAY' THEN json_extract_string(value, '$[*]')
        ELSE [value ->> '$']
    END
};
CREATE TEMP MACRO answer_text(decoded, authored) AS CASE
    WHEN decoded.list THEN
        '['
        || array_to_string(
            list_transform(decoded.items, lambda item: coalesce(some_text(item, authored), '')), '|'
        )
        || ']'
    ELSE some_text(decoded.items[1], authored)
END;
