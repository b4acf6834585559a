"""Who is at the other end of a realtime connection, and whether their page may open it.

The WebSocket accepts Django's session cookie (the built-in UI) or `Authorization: Bearer` with
a 1.x JWT (other clients). A cookie rides along with any page's handshake, so a cookie-borne
handshake must come from one of our own origins; browsers cannot put an Authorization header
on a WebSocket, so a bearer handshake without Origin is a non-browser client and may pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from typing import Any

from channels.auth import get_user
from channels.db import database_sync_to_async
from channels.security.websocket import AllowedHostsOriginValidator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.cookie import parse_cookie

from accounts.authentication import bearer_of
from accounts.credentials import credential_for
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
    return bearer_of(header(scope, b"authorization"))


class WebSocketAuthMiddleware:
    """Puts the authenticated user (or AnonymousUser) in scope["user"]: a bearer token first,
    else the session cookie. An invalid bearer token does not fall back to the cookie.

    Channels' session middleware would also wrap every frame this socket sends (to save a
    session it never changes here); this only reads."""

    def __init__(self, application: ASGIApp) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        token = bearer_token(scope)
        session_key = None
        if token is not None:
            user = await database_sync_to_async(_token_user)(token)
        else:
            session_key = parse_cookie(header(scope, b"cookie") or "").get(
                settings.SESSION_COOKIE_NAME
            )
            user = await _session_user(scope, session_key) if session_key else None
        if user is None or not getattr(user, "is_active", False):
            return await self.application(dict(scope, user=AnonymousUser()), receive, send)
        credential = credential_for(user, token=token, session_key=session_key)
        return await self.application(dict(scope, user=user, credential=credential), receive, send)


def _token_user(token: str) -> User | None:
    try:
        return token_user(token)
    except InvalidToken:
        return None


async def _session_user(scope: dict[str, Any], session_key: str) -> Any:
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    # Channels' get_user checks the session's auth hash, so a changed password ends it.
    return await get_user(dict(scope, session=store))


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
