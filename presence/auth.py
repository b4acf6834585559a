"""Who is at the other end of a realtime connection, and whether their page may open it.

The WebSocket accepts Django's session cookie (the built-in UI) or `Authorization: Bearer` with
a 1.x JWT (other clients). A cookie rides along with any page's handshake, so a cookie-borne
handshake must come from one of our own origins; browsers cannot put an Authorization header
on a WebSocket, so a bearer handshake without Origin is a non-browser client and may pass.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

from channels.auth import get_user
from channels.db import database_sync_to_async
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse
from django.http.cookie import parse_cookie
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.http import is_same_domain

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
    """Refuses (HTTP 403) a WebSocket handshake whose Origin is not one of ours (see
    origin_allowed), and one without Origin unless it carries a bearer token instead of
    relying on the cookie."""

    def __init__(self, application: ASGIApp) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        origin = header(scope, b"origin")
        if origin is None and bearer_token(scope) is not None:
            return await self.application(scope, receive, send)
        if origin is not None and origin_allowed(scope, origin):
            return await self.application(scope, receive, send)
        return await WebsocketDenier.as_asgi()(scope, receive, send)


def origin_allowed(scope: dict[str, Any], origin: str) -> bool:
    """Whether a handshake's Origin is the site's own origin as the handshake reached it (scheme,
    host and port; behind the proxy, the scheme SECURE_PROXY_SSL_HEADER tells) or one of
    CSRF_TRUSTED_ORIGINS, wildcards included: Django's CSRF rule for unsafe requests.

    Channels' AllowedHostsOriginValidator compared the host name alone, so a page on another
    port or scheme of the same host could open a socket with the user's cookie."""
    request = _handshake_request(scope)
    try:
        own = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
    except DisallowedHost:
        own = None
    trusted = CsrfViewMiddleware(_no_view)
    if origin == own or origin in trusted.allowed_origins_exact:
        return True
    try:
        parsed = urlsplit(origin)
    except ValueError:
        return False
    return any(
        is_same_domain(parsed.netloc, host)
        for host in trusted.allowed_origin_subdomains.get(parsed.scheme, ())
    )


def _handshake_request(scope: dict[str, Any]) -> HttpRequest:
    # Django reads host, port and forwarded scheme from a request; the handshake is a GET
    # whose scheme is ws or wss.
    http_scope = dict(
        scope, method="GET", scheme="https" if scope.get("scheme") == "wss" else "http"
    )
    return ASGIRequest(http_scope, io.BytesIO())


def _no_view(request: HttpRequest) -> HttpResponse:
    raise AssertionError("only CsrfViewMiddleware's trusted origins are read")
