"""Errors services raise, and the one handler that turns them into the 1.x `{"error": …}` shape.

Services raise `ApiError` subclasses with the exact 1.x message; interfaces never build error
bodies themselves. Anything else that escapes a view becomes a 500 without a stack trace.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response

logger = logging.getLogger(__name__)


# The 1.x answers to a request without a usable bearer token.
MISSING_TOKEN = "Missing authorization token"
INVALID_TOKEN = "Invalid or expired token"


class ApiError(Exception):
    """A refusal with a 1.x error string; `extra` adds fields beside `error` (e.g. `punishment`)."""

    status = 400

    def __init__(
        self,
        message: str,
        *,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": self.message, **self.extra}


class BadRequest(ApiError):
    status = 400


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


class PayloadTooLarge(ApiError):
    status = 413


class TooManyRequests(ApiError):
    status = 429


class InternalError(ApiError):
    """A failure the caller cannot fix, with the 1.x message (e.g. `Failed to join room`)."""

    status = 500


def error_body(message: str) -> dict[str, str]:
    return {"error": message}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler: every failure under /api/ answers `{"error": "..."}`."""
    if isinstance(exc, ApiError):
        return Response(exc.body(), status=exc.status, headers=exc.headers)
    if isinstance(exc, drf_exceptions.NotAuthenticated):
        return Response(error_body(MISSING_TOKEN), status=401)
    if isinstance(exc, drf_exceptions.AuthenticationFailed):
        detail = exc.detail if isinstance(exc.detail, str) else INVALID_TOKEN
        return Response(error_body(str(detail)), status=401)
    if isinstance(exc, drf_exceptions.ParseError):
        return Response(error_body("Malformed JSON body"), status=400)
    if isinstance(exc, drf_exceptions.UnsupportedMediaType):
        return Response(error_body("Unsupported media type"), status=415)
    if isinstance(exc, drf_exceptions.MethodNotAllowed):
        return Response(error_body("Method not allowed"), status=405)
    if isinstance(exc, (Http404, drf_exceptions.NotFound)):
        return Response(error_body("Not found"), status=404)
    if isinstance(exc, drf_exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF"):
        # Session authentication's "CSRF Failed: <reason>" tells the UI what to fix.
        return Response(error_body(str(exc.detail)), status=403)
    if isinstance(exc, (DjangoPermissionDenied, drf_exceptions.PermissionDenied)):
        return Response(error_body("Forbidden"), status=403)
    if isinstance(exc, drf_exceptions.Throttled):
        return Response(error_body("Too many requests"), status=429)
    if isinstance(exc, drf_exceptions.APIException):
        return Response(error_body(str(exc.detail)), status=exc.status_code)
    logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
    return Response(error_body("Internal server error"), status=500)
