"""The normaliser's SQL lives in .sql files beside normalize.py, as the metrics' does."""

from __future__ import annotations

from pathlib import Path

from edinsights.events import normalize

FILES = {
    "log_lines.sql": "LOG_LINES",
    "other_format_lines.sql": "OTHER_FORMAT_LINES",
    "normalize.sql": "NORMALIZE_SQL",
    "text_macros.sql": "TEXT_MACROS",
    "problem_lists.sql": "PROBLEM_SQL",
}


def test_the_normalising_queries_are_read_from_sql_files() -> None:
    directory = Path(normalize.__file__).parent
    for name, constant in FILES.items():
        assert getattr(normalize, constant) == (directory / name).read_text(), name
    # No query text is left in the module itself.
    source = Path(normalize.__file__).read_text()
    assert "CREATE TEMP MACRO" not in source and "FROM courses" not in source and "WITH {lines}" not in source
