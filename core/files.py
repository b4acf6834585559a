"""Stored files handed to their owner's browser: shown inline, never sniffed, cached privately."""

from __future__ import annotations

from django.http import HttpResponse


def private_file(data: bytes, *, content_type: str, file_name: str, max_age: int) -> HttpResponse:
    """`data` as an inline file the browser takes for `content_type` alone, kept `max_age`
    seconds in the viewer's own cache only (every such file needs a login)."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{file_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"private, max-age={max_age}"
    return response
