"""Python values rendered into metric SQL as literals, so that a module's vocabulary lives once.

A module keeps the names its rows carry (range types, metric names, entity types) as Python
constants, read by its API and pages; its SQL names them as `{{NAME}}` placeholders, and
`render` puts the literals in when the SQL is loaded. A placeholder without a value is an error
at load time; a module's tests check the other way, that its SQL uses each name it should.
Literals, not query parameters: the engines run the SQL with `$date_from` / `$date_to` only,
and a translated query (sqlglot) keeps literals as they are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from types import ModuleType
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def sql_literal(value: Any) -> str:
    """`value` as a DuckDB literal: a string quoted (quotes doubled), a number, a boolean,
    NULL, or a tuple / list of them as a list literal (`['low', 'normal', 'high']`)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no SQL literal for {value!r}")
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(sql_literal(item) for item in value) + "]"
    raise TypeError(f"no SQL literal for {type(value).__name__} {value!r}")


def render(sql: str, values: Mapping[str, Any]) -> str:
    """`sql` with each `{{NAME}}` replaced by `values[NAME]` as a literal (ValueError naming the
    placeholders that have no value)."""
    missing = sorted(set(PLACEHOLDER.findall(sql)) - set(values))
    if missing:
        raise ValueError(f"SQL placeholders without a value: {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: sql_literal(values[match.group(1)]), sql)


def constants(namespace: ModuleType) -> dict[str, Any]:
    """A vocabulary module's constants: its UPPER_CASE names bound to a string, a number or a
    tuple (the values `render` takes; dicts of labels and the like are left out)."""
    return {
        name: value
        for name, value in vars(namespace).items()
        if name.isupper() and isinstance(value, str | int | float | tuple)
    }
