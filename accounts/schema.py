"""OpenAPI descriptions of our two authentication schemes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class BearerScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "accounts.authentication.BearerAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        scheme: dict[str, Any] = build_bearer_security_scheme_object(  # type: ignore[no-untyped-call]
            header_name="Authorization", token_prefix="Bearer", bearer_format="JWT"
        )
        return scheme


class SessionCookieScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "accounts.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}


class BodyTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The bearer JWT in a beacon's JSON body: OpenAPI has no security scheme for a body field,
    so it is documented as the request's `token` instead."""

    target_class = "accounts.authentication.BodyTokenAuthentication"
    name: list[str] = []

    def get_security_requirement(self, auto_schema: Any) -> list[dict[str, list[Any]]]:
        return []

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, Any]]:
        return []
