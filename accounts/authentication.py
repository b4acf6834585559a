"""DRF authentication: the 1.x bearer token, and Django's session for the built-in browser UI."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from rest_framework import authentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.tokens import Token

from core.errors import INVALID_TOKEN, MISSING_TOKEN, Unauthorized

from .models import User
from .tokens import BearerToken, InvalidToken, token_owner, token_user


def bearer_of(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <t>` header (the prefix is case-sensitive, as in
    1.x), or None."""
    if authorization is None or not authorization.startswith("Bearer "):
        return None
    return authorization[len("Bearer ") :].strip() or None


class BearerAuthentication(JWTAuthentication):
    """`Authorization: Bearer <jwt>` through simplejwt, with 1.x's header rule (the prefix is
    case-sensitive and the rest is the token) and 1.x's one message for every bad token."""

    def get_raw_token(self, header: bytes) -> bytes | None:
        token = bearer_of(header.decode("latin-1"))
        return None if token is None else token.encode("latin-1")

    def get_validated_token(self, raw_token: bytes) -> Token:
        try:
            return super().get_validated_token(raw_token)
        except AuthenticationFailed as exc:
            raise AuthenticationFailed(INVALID_TOKEN) from exc

    # simplejwt annotates this with an unbound TypeVar, which no concrete return type satisfies.
    def get_user(self, validated_token: Token) -> User:  # type: ignore[override]
        if not isinstance(validated_token, BearerToken):
            raise AuthenticationFailed(INVALID_TOKEN)
        try:
            return token_owner(validated_token)
        except InvalidToken as exc:
            raise AuthenticationFailed(INVALID_TOKEN) from exc

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"


class BodyTokenAuthentication(BearerAuthentication):
    """2.x's leave beacon: the bearer token as `{"token": "<jwt>"}` in the JSON body, since
    `navigator.sendBeacon` cannot set a header. Verified exactly as a bearer token; a token in
    a body is never ambient, so it needs no CSRF check."""

    def authenticate(self, request: Request) -> tuple[Any, Token] | None:
        data = request.data
        token = data.get("token") if isinstance(data, Mapping) else None
        if not isinstance(token, str) or not token:
            return None
        validated = self.get_validated_token(token.encode("utf-8"))
        return self.get_user(validated), validated


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
