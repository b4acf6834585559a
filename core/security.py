"""Response headers Django does not set by itself."""

from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase


class PermissionsPolicyMiddleware:
    """Sends PERMISSIONS_POLICY on every response: camera, microphone and screen capture for our
    own pages only, so a framed or injected third party can never ask for them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# JSON is never a document: if a browser ever renders one, it may load and run nothing.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


class PageCSPMiddleware(CSPMiddleware):
    """django-csp's middleware for pages; /api/ answers get API_POLICY, a constant stricter
    than any page's. Building the page policy (with its nonce) for every API answer was a sixth
    of an API request's time. The API docs page is a page, so it keeps the page policy."""

    def process_request(self, request: HttpRequest) -> None:
        if not _json_api(request):
            super().process_request(request)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if _json_api(request):
            response.headers.setdefault("Content-Security-Policy", API_POLICY)
            return response
        return super().process_response(request, response)


def _json_api(request: HttpRequest) -> bool:
    path = request.path_info
    return path.startswith("/api/") and not path.startswith("/api/docs")
