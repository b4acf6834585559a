"""Request parsing with 1.x's leniency: an empty or non-JSON body reads as `{}`."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request

from .errors import PayloadTooLarge


class LenientJSONParser(JSONParser):
    """Parses JSON bodies; malformed JSON is a 400, an empty body is `{}` (every field missing)."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        # A chunked body has no Content-Length for the middleware to refuse, so the limit is
        # enforced again while reading.
        limit = settings.REQUEST_BODY_LIMIT
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge("Request body too large")
        if not raw.strip():
            return {}
        if media_type and "json" not in media_type:
            # 1.x only parsed application/json; any other body leaves every field missing.
            return {}
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            # Deep nesting ("[[[[..." in 16 KB) exhausts the decoder's recursion: malformed too.
            raise ParseError("Malformed JSON body") from exc


def body_object(request: Request) -> dict[str, Any]:
    """The request's JSON body as an object: 1.x read an array or a scalar as an object with no
    fields, so their fields are simply missing."""
    data = request.data
    return data if isinstance(data, dict) else {}
