"""The admin site: Django's, under our name, with its sign-in under the same limits as every
other sign-in."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from core.errors import TooManyRequests

from .ratelimits import LOGIN, rate_limit_count


class AdminSite(admin.AdminSite):
    """disTokoloshe's admin. Counts each sign-in form post against the API login's per-address
    limit (one bucket for both); the per-account throttle applies through the auth backend, as
    everywhere."""

    site_header = "disTokoloshe administration"
    site_title = "disTokoloshe admin"
    index_title = "Server administration"

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        try:
            rate_limit_count(request, LOGIN)
            return super().login(request, extra_context)
        except TooManyRequests as refused:
            return HttpResponse(
                refused.message,
                status=refused.status,
                headers=refused.headers,
                content_type="text/plain; charset=utf-8",
            )
