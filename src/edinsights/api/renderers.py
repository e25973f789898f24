"""CSV for every endpoint: `Accept: text/csv` or `?format=csv`, nested fields flattened.

Every cell, the header's too (enrollment modes come from events), goes through
`edinsights.csv_safety.safe_cell`: no spreadsheet runs a learner's `=HYPERLINK(...)`."""

from __future__ import annotations

import csv
import io
from typing import Any

from rest_framework.renderers import BaseRenderer

from edinsights.csv_safety import safe_row


def flatten(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"a": {"b": 1}} → {"a.b": 1}; lists are joined with `|`."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, list | tuple):
            flat[name] = "|".join(str(item) for item in value)
        else:
            flat[name] = value
    return flat


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        rows = data if isinstance(data, list) else [data]
        flat = [flatten(row) if isinstance(row, dict) else {"value": row} for row in rows]
        # Columns in the order of the first row (the `fields` order when asked), then any others.
        columns: list[str] = []
        for row in flat:
            columns.extend(name for name in row if name not in columns)
        output = io.StringIO()
        writer = csv.writer(output, lineterminator="\n")
        writer.writerow(safe_row(columns))
        writer.writerows(safe_row(row.get(name, "") for name in columns) for row in flat)
        return output.getvalue().encode()
