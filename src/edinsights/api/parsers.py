"""Request body parsers: DRF's, with a JSON body nested too deeply for Python a 400, not a 500."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser


class BoundedJSONParser(JSONParser):
    """`[[[[…]]]]` 100,000 deep makes `json.loads` raise RecursionError, which DRF's parser (it
    catches ValueError only) lets through as a 500; it is malformed input like any other."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply") from None


PARSERS = [BoundedJSONParser, FormParser, MultiPartParser]
"""DRF's default parsers, in its order, with the JSON one bounded."""
