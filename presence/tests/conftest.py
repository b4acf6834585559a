"""Helpers for talking to the real ASGI application: WebSockets with a cookie or a token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from accounts.models import User
from accounts.tokens import token_mint
from distokoloshe.asgi import application
from presence.selectors import world_forget

ORIGIN = "http://localhost"


@pytest.fixture(autouse=True)
def _fresh_world() -> None:
    # Tests write rows directly, without the events that would mark the cached snapshot stale.
    world_forget()


@sync_to_async
def session_cookie(user: User) -> str:
    """A logged-in session cookie header value for `user`, as the browser UI has."""
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def ws(
    user: User | None = None,
    *,
    token: str | None = None,
    origin: str | None = ORIGIN,
    cookie: str | None = None,
) -> WebsocketCommunicator:
    """A communicator on /ws/events; with `user`, authenticated by their session cookie."""
    headers: list[tuple[bytes, bytes]] = [(b"host", b"localhost")]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if user is not None and cookie is None:
        cookie = await session_cookie(user)
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    if token is not None:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    return WebsocketCommunicator(application, "/ws/events", headers=headers)


async def open_ws(user: User, **kwargs: Any) -> tuple[WebsocketCommunicator, dict[str, Any]]:
    """An accepted connection of `user` and its hello frame's data."""
    communicator = await ws(user, **kwargs)
    connected, _ = await communicator.connect()
    assert connected
    hello = await receive(communicator)
    assert hello["type"] == "hello"
    return communicator, hello["data"]


async def receive(communicator: WebsocketCommunicator, wait: float = 2) -> dict[str, Any]:
    frame: dict[str, Any] = json.loads(await communicator.receive_from(timeout=wait))
    return frame


async def receive_event(
    communicator: WebsocketCommunicator, name: str, wait: float = 2
) -> dict[str, Any]:
    """The data of the next frame, which must be event `name` (pings are skipped)."""
    while True:
        frame = await receive(communicator, wait)
        if frame["type"] != "ping":
            assert frame["type"] == name, frame
            return frame["data"]  # type: ignore[no-any-return]


async def drain(communicator: WebsocketCommunicator) -> list[dict[str, Any]]:
    """Every frame already on its way (e.g. user:online of connections opened earlier)."""
    frames = []
    while not await communicator.receive_nothing(timeout=0.1):
        frames.append(await receive(communicator))
    return frames


async def closed_with(communicator: WebsocketCommunicator) -> int | None:
    """The close code the server sent (the handshake itself was accepted)."""
    output = await communicator.receive_output(timeout=2)
    assert output["type"] == "websocket.close", output
    code: int | None = output.get("code")
    return code


async def bearer(user: User) -> str:
    return await sync_to_async(token_mint)(user=user)
