"""Who is at the other end of a realtime connection, and whether their page may open it.

The WebSocket accepts Django's session cookie (the built-in UI) or `Authorization: Bearer` with
a 1.x JWT (other clients). A cookie rides along with any page's handshake, so a cookie-borne
handshake must come from one of our own origins; browsers cannot put an Authorization header
on a WebSocket, so a bearer handshake without Origin is a non-browser client and may pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from channels.auth import get_user
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import AllowedHostsOriginValidator
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from accounts.tokens import InvalidToken, token_user

ASGIApp = Any


def header(scope: dict[str, Any], name: bytes) -> str | None:
    """The first value of a request header, decoded as latin-1 (as ASGI headers are)."""
    headers: Iterable[tuple[bytes, bytes]] = scope.get("headers", [])
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin1")
    return None


def bearer_token(scope: dict[str, Any]) -> str | None:
    """The token of `Authorization: Bearer <t>` (prefix case-sensitive, as 1.x), if any."""
    value = header(scope, b"authorization")
    if value is None or not value.startswith("Bearer "):
        return None
    return value[len("Bearer ") :].strip() or None


def user_for_token(token: str) -> User | None:
    """The active user a 1.x bearer token belongs to, or None if it is not valid."""
    try:
        return token_user(token)
    except InvalidToken:
        return None


class _ScopeUserMiddleware(BaseMiddleware):  # type: ignore[misc]
    """Puts the authenticated user (or AnonymousUser) in scope["user"]: bearer first, then
    the session. An invalid bearer token does not fall back to the cookie."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        token = bearer_token(scope)
        if token is not None:
            user: Any = await database_sync_to_async(user_for_token)(token)
        else:
            user = await get_user(scope)
        if user is None or not getattr(user, "is_active", False):
            user = AnonymousUser()
        return await super().__call__(dict(scope, user=user), receive, send)


def WebSocketAuthMiddlewareStack(inner: ASGIApp) -> ASGIApp:
    """Cookie and session parsing, then the user resolution above."""
    return CookieMiddleware(SessionMiddleware(_ScopeUserMiddleware(inner)))


class BrowserOriginValidator:
    """Refuses (HTTP 403) a WebSocket handshake whose Origin is not one of ALLOWED_HOSTS, and
    one without Origin unless it carries a bearer token instead of relying on the cookie."""

    def __init__(self, application: ASGIApp) -> None:
        self.application = application
        self.validated = AllowedHostsOriginValidator(application)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if header(scope, b"origin") is None and bearer_token(scope) is not None:
            return await self.application(scope, receive, send)
        return await self.validated(scope, receive, send)
