"""Request parsing with 1.x's leniency: an empty or non-JSON body reads as `{}`; multipart
uploads as 2.x's multer read them."""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.parsers import JSONParser
from rest_framework.request import Request

from .errors import BadRequest, PayloadTooLarge

# multer's words, which 2.x clients show.
UPLOAD_FAILED = "Upload failed"
UNEXPECTED_FIELD = "Unexpected field"


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
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            # Deep nesting ("[[[[..." in 16 KB) exhausts the decoder's recursion: malformed too.
            raise ParseError("Malformed JSON body") from exc
        if _SURROGATE_ESCAPE.search(raw) and _has_lone_surrogate(data):
            raise ParseError("Malformed JSON body")
        return data


# JSON can spell a lone UTF-16 surrogate ("\ud800") that no UTF-8 text can hold: I-JSON
# (RFC 7493) forbids them, and every field would fail on one further in (bcrypt, the database,
# the UTF-16 length rules) with a 500. Raw UTF-8 cannot carry one, so only an escape can, and
# only a body with such an escape is searched.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogate(value: Any) -> bool:
    # A paired escape decodes to one code point; any surrogate left is a lone one.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def body_object(request: Request) -> dict[str, Any]:
    """The request's JSON body as an object: 1.x read an array or a scalar as an object with no
    fields, so their fields are simply missing."""
    data = request.data
    return data if isinstance(data, dict) else {}


def multipart_upload(request: Request, field: str) -> tuple[Any, Any]:
    """The one file in `field` of a multipart body and the body's text fields, as 2.x's multer
    saw them: (None, None) for a body that is not multipart, `Unexpected field` for a file in
    any other field or a second one, `Upload failed` for a body Django refuses to parse."""
    try:
        files, fields = request.FILES, request.data
    except UnsupportedMediaType:
        return None, None
    except ParseError as exc:
        raise BadRequest(str(exc.detail) or UPLOAD_FAILED) from exc
    except SuspiciousOperation as exc:
        # Too many parts or too large a text field: Django refuses before any file is read.
        raise BadRequest(UPLOAD_FAILED) from exc
    if any(name != field for name in files) or len(files.getlist(field)) > 1:
        raise BadRequest(UNEXPECTED_FIELD)
    return files.get(field), fields
