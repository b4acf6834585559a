"""DRF authentication: the 1.x bearer token, and Django's session for the built-in browser UI."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from rest_framework import authentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from core.errors import INVALID_TOKEN, MISSING_TOKEN, Unauthorized

from .models import User
from .tokens import InvalidToken, token_user


def bearer_of(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <t>` header (the prefix is case-sensitive, as in
    1.x), or None."""
    if authorization is None or not authorization.startswith("Bearer "):
        return None
    return authorization[len("Bearer ") :].strip() or None


class BearerAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <jwt>`, the 1.x clients' credential."""

    def authenticate(self, request: Request) -> tuple[User, str] | None:
        token = bearer_of(request.META.get("HTTP_AUTHORIZATION"))
        if token is None:
            return None
        try:
            return token_user(token), token
        except InvalidToken as exc:
            raise AuthenticationFailed(INVALID_TOKEN) from exc

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser UI's HttpOnly session cookie, with CSRF enforced on unsafe methods."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if not getattr(user, "is_active", False):
            return None
        return result


def token_authenticate(raw: str | None) -> User:
    """The user of a raw 1.x token (the SSE stream's `?token=`), or Unauthorized with the 1.x
    message: `Missing authorization token` when empty, `Invalid or expired token` otherwise."""
    if not raw:
        raise Unauthorized(MISSING_TOKEN)
    try:
        return token_user(raw)
    except InvalidToken as exc:
        raise Unauthorized(INVALID_TOKEN) from exc


def request_user(request: Request | HttpRequest) -> User:
    """The authenticated user of an API request that passed IsAuthenticated, or of an admin
    request (the admin lets only staff in; services check again), typed as our User."""
    user = request.user
    if not isinstance(user, User):
        raise Unauthorized(MISSING_TOKEN)
    return user


def csrf_enforce(request: Request) -> None:
    """Django's CSRF check for views that create a session (login, register), which session
    authentication cannot cover because nobody is logged in yet. Raises `CSRF Failed: ...`."""
    SessionAuthentication().enforce_csrf(request)
