"""Request parsing with 1.x's leniency: an empty or non-JSON body reads as `{}`."""

from __future__ import annotations

import json
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class LenientJSONParser(JSONParser):
    """Parses JSON bodies; malformed JSON is a 400, an empty body is `{}` (every field missing)."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        if not raw.strip():
            return {}
        if media_type and "json" not in media_type:
            # 1.x only parsed application/json; any other body leaves every field missing.
            return {}
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError("Malformed JSON body") from exc
