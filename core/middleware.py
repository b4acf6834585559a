"""Request-level guards that must hold for every route, before any view runs."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import get_urlconf, is_valid_path

logger = logging.getLogger(__name__)
# 1.x wrote JSON with JSON.stringify: no spaces.
_COMPACT = {"separators": (",", ":")}


class BodySizeLimitMiddleware:
    """Refuses request bodies over REQUEST_BODY_LIMIT with 413 before anything reads them; the
    routes in REQUEST_BODY_LIMITS (uploads) have a limit and a message of their own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # The trailing slash is dropped later (ApiTrailingSlashMiddleware); match either.
        route = settings.REQUEST_BODY_LIMITS.get(request.path_info.rstrip("/"))
        if route is not None:
            # Their multipart parser reads nothing without a Content-Length, so an unsized
            # body is simply empty there.
            limit, message = route
            if length > limit:
                return JsonResponse({"error": message}, status=413, json_dumps_params=_COMPACT)
            return self.get_response(request)
        if length > settings.REQUEST_BODY_LIMIT or _unsized_body_too_large(request):
            return JsonResponse(
                {"error": "Request body too large"}, status=413, json_dumps_params=_COMPACT
            )
        return self.get_response(request)


def _unsized_body_too_large(request: HttpRequest) -> bool:
    # A chunked body has no Content-Length, and views that take no body never read it, so it
    # would pass unrefused. Django measures the body the server has already buffered
    # (DATA_UPLOAD_MAX_MEMORY_SIZE, the same 16 KB) without loading more than that.
    if request.META.get("CONTENT_LENGTH") or request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    try:
        request.body  # noqa: B018
    except RequestDataTooBig:
        return True
    return False


class ApiTrailingSlashMiddleware:
    """1.x matched `/api/x` and `/api/x/` alike. Routes are declared without the slash (so the
    OpenAPI paths are the ones clients send); a trailing slash is dropped here, without a
    redirect, unless the path with it is a route of its own (the docs pages)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if (
            path.startswith("/api/")
            and path.endswith("/")
            and len(path) > len("/api/")
            and not is_valid_path(path, get_urlconf())
        ):
            request.path_info = path.rstrip("/")
            request.path = request.path[: len(request.path) - len(path)] + request.path_info
        return self.get_response(request)


class ApiErrorMiddleware:
    """Under /api/, Django's own HTML 404/405/500 pages become the 1.x JSON error shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or request.path.startswith("/api/docs"):
            return response
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and not content_type.startswith("application/json"):
            message = {
                400: "Bad request",
                404: "Not found",
                405: "Method not allowed",
                413: "Request body too large",
            }.get(response.status_code, "Internal server error")
            return JsonResponse(
                {"error": message}, status=response.status_code, json_dumps_params=_COMPACT
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith("/api/"):
            return None
        logger.exception("Unhandled error on %s %s", request.method, request.path)
        return JsonResponse(
            {"error": "Internal server error"}, status=500, json_dumps_params=_COMPACT
        )
