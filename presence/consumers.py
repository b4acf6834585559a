"""The realtime WebSocket at /ws/events: relays every published event to one connection.

Protocol (JSON text frames): the server sends `{"type": <1.x event name>, "data": <payload>}`;
the first frame is `{"type": "hello", "data": HelloData}`; `{"type": "ping"}` every
WS_PING_SECONDS. A client may send `{"type": "ping"}` and gets `{"type": "pong"}`; anything else
gets `{"type": "error", "data": {"error": "..."}}`. Refusals are an accepted handshake closed at
once with CLOSE_UNAUTHENTICATED, CLOSE_USER_LIMIT or CLOSE_SERVER_LIMIT.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from accounts.models import User
from presence.services.connections import ConnectionRefused, presence_connect
from realtime.publish import EVERYONE_GROUP, RELAY_TYPE, frame_ws, user_group

from . import runtime
from .selectors import hello_snapshot

CLOSE_UNAUTHENTICATED = 4401
CLOSE_USER_LIMIT = 4429
CLOSE_SERVER_LIMIT = 4503
# The server dropped this connection from its records (its process was presumed dead):
# reconnect, like after a restart.
CLOSE_RECONNECT = 1012
CLOSE_CODES = {"user_full": CLOSE_USER_LIMIT, "server_full": CLOSE_SERVER_LIMIT}

MAX_CLIENT_FRAME = 4096
PING_FRAME = '{"type":"ping"}'
PONG_FRAME = '{"type":"pong"}'


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def error_frame(message: str) -> str:
    return _compact({"type": "error", "data": {"error": message}})


class EventsConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    """One user's WebSocket: records the connection (caps, online), subscribes to the
    everyone group and the user's own group, sends the hello snapshot, then relays events."""

    connection_id: uuid.UUID | None = None
    user_id: int | None = None
    _pinger: asyncio.Task[None] | None = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            # On shutdown daphne cancels every application without a disconnect event; record
            # it now, so clients reconnecting to another process within the grace go unnoticed.
            for group in self.groups:
                await self.channel_layer.group_discard(group, self.channel_name)
            await self.disconnect(CLOSE_RECONNECT)

    async def connect(self) -> None:
        user = self.scope.get("user")
        if not isinstance(user, User):
            await self._refuse(CLOSE_UNAUTHENTICATED)
            return
        groups = [EVERYONE_GROUP, user_group(user.pk)]
        # Subscribe before recording the connection and taking the snapshot, so nothing
        # published in between is lost; events queue until this handler returns.
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        try:
            self.connection_id = await database_sync_to_async(presence_connect)(
                user=user, transport="ws", process_id=runtime.PROCESS_ID
            )
        except ConnectionRefused as refused:
            for group in groups:
                await self.channel_layer.group_discard(group, self.channel_name)
            await self._refuse(CLOSE_CODES[refused.reason])
            return
        self.user_id = user.pk
        self.groups = groups
        runtime.hold(self.connection_id, self._reaped)
        await self.accept()
        hello = await database_sync_to_async(hello_snapshot)(user=user)
        await self.send(text_data=frame_ws("hello", _compact(hello)))
        self._pinger = asyncio.get_running_loop().create_task(self._ping_forever())

    async def _refuse(self, code: int) -> None:
        # Closing before accept would reject the handshake with a bare HTTP 403; accepting
        # first lets the browser see the code and explain it.
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        if self._pinger is not None:
            self._pinger.cancel()
        connection_id, self.connection_id = self.connection_id, None
        if connection_id is not None:
            await runtime.forget(connection_id)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.connection_id is None:
            return
        if text_data is None:
            await self.send(text_data=error_frame("Binary frames are not supported"))
            return
        if len(text_data) > MAX_CLIENT_FRAME:
            await self.send(text_data=error_frame("Message too large"))
            return
        try:
            message = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.send(text_data=error_frame("Invalid JSON"))
            return
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "ping":
            await self.send(text_data=PONG_FRAME)
        else:
            await self.send(text_data=error_frame("Unknown message type"))

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels runs close_old_connections in a worker thread before every handler, and the
        # hops of all sockets queue on one thread: relaying one event to 500 sockets waited
        # for 500 of them. A relay touches no database, so it skips that.
        if message["type"] == RELAY_TYPE:
            await self.event_relay(message)
        else:
            await super().dispatch(message)

    async def event_relay(self, message: dict[str, Any]) -> None:
        """A published event: forwarded as it was serialised, unless it excludes this user."""
        if self.connection_id is None or message.get("exclude") == self.user_id:
            return
        await self.send(text_data=frame_ws(message["event"], message["data"]))

    async def presence_reaped(self, message: dict[str, Any]) -> None:
        """This connection was reaped while open: close it so the client reconnects."""
        await self.close(code=CLOSE_RECONNECT)

    async def _reaped(self) -> None:
        # Delivered through our own channel, so the close runs in the consumer's own loop
        # between events rather than from the heartbeat task.
        self.connection_id = None
        await self.channel_layer.send(self.channel_name, {"type": "presence.reaped"})

    async def _ping_forever(self) -> None:
        while True:
            await asyncio.sleep(settings.WS_PING_SECONDS)
            await self.send(text_data=PING_FRAME)
