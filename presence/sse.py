"""The 1.x event stream, GET /api/events: Server-Sent Events exactly as 1.x clients expect.

`?token=` (here only) or `Authorization: Bearer`; JSON 401s; caps answered with the 1.x 429
bodies before any stream starts; then `:ok`, an `event:`/`data:` message per event, and `:ping`
every SSE_PING_SECONDS. The stream is served by Channels directly rather than a Django view,
so nothing buffers or compresses it.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.http import AsyncHttpConsumer
from django.conf import settings

from accounts.models import User
from presence.services.connections import ConnectionRefused, presence_connect
from realtime.publish import EVERYONE_GROUP, RELAY_TYPE, frame_sse, user_group

from . import runtime
from .auth import bearer_token, header, user_for_token

STREAM_HEADERS = [
    (b"Content-Type", b"text/event-stream"),
    (b"Cache-Control", b"no-cache"),
    (b"Connection", b"keep-alive"),
    (b"X-Accel-Buffering", b"no"),
    (b"X-Content-Type-Options", b"nosniff"),
]
REFUSALS = {
    "server_full": "Server connection limit reached",
    "user_full": "Too many concurrent connections",
}


def query_token(scope: dict[str, Any]) -> str | None:
    """The single `?token=` value; given twice it counts as missing, as in 1.x (Express)."""
    query = parse_qs(scope.get("query_string", b"").decode("latin1"), keep_blank_values=True)
    values = query.get("token", [])
    return values[0] if len(values) == 1 else None


class EventStreamConsumer(AsyncHttpConsumer):  # type: ignore[misc]
    """One 1.x client's event stream: records the connection (caps, online), subscribes to the
    everyone group and the user's group, and writes each relayed event in 1.x framing."""

    connection_id: uuid.UUID | None = None
    user_id: int | None = None
    _pinger: asyncio.Task[None] | None = None
    _groups: tuple[str, ...] = ()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            # On shutdown daphne cancels every application without http.disconnect.
            await self.disconnect()

    async def http_request(self, message: dict[str, Any]) -> None:
        # AsyncHttpConsumer ends the response when handle() returns; a stream stays open until
        # the client goes (http.disconnect) or the connection is reaped.
        if message.get("more_body"):
            return
        await self.handle(b"")
        if self.connection_id is None:
            raise StopConsumer()

    async def handle(self, body: bytes) -> None:
        if self.scope["method"] != "GET":
            await self._json(404, {"error": "Not found"})
            return
        token = bearer_token(self.scope) or query_token(self.scope)
        if not token:
            await self._json(401, {"error": "Missing authorization token"})
            return
        user = await database_sync_to_async(user_for_token)(token)
        if user is None:
            await self._json(401, {"error": "Invalid or expired token"})
            return
        await self._open(user)

    async def _open(self, user: User) -> None:
        groups = (EVERYONE_GROUP, user_group(user.pk))
        # Subscribed first: 1.x streams receive their own user:online.
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        try:
            connection_id = await database_sync_to_async(presence_connect)(
                user=user, transport="sse", process_id=runtime.PROCESS_ID
            )
        except ConnectionRefused as refused:
            for group in groups:
                await self.channel_layer.group_discard(group, self.channel_name)
            await self._json(429, {"error": REFUSALS[refused.reason]})
            return
        self.connection_id, self.user_id, self._groups = connection_id, user.pk, groups
        runtime.hold(connection_id, self._reaped)
        await self.send_headers(status=200, headers=[*STREAM_HEADERS, *self._cors()])
        await self.send_body(b":ok\n\n", more_body=True)
        self._pinger = asyncio.get_running_loop().create_task(self._ping_forever())

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels runs close_old_connections in a worker thread before every handler, and the
        # hops of all sockets queue on one thread: relaying one event to 500 sockets waited
        # for 500 of them. A relay touches no database, so it skips that.
        if message["type"] == RELAY_TYPE:
            await self.event_relay(message)
        else:
            await super().dispatch(message)

    async def event_relay(self, message: dict[str, Any]) -> None:
        """A published event, in 1.x framing, unless it excludes this user."""
        if self.connection_id is None or message.get("exclude") == self.user_id:
            return
        await self.send_body(frame_sse(message["event"], message["data"]), more_body=True)

    async def presence_reaped(self, message: dict[str, Any]) -> None:
        """This stream was reaped while open: end it so the client reconnects."""
        await self.send_body(b"", more_body=False)
        await self.disconnect()
        raise StopConsumer()

    async def disconnect(self) -> None:
        if self._pinger is not None:
            self._pinger.cancel()
            self._pinger = None
        for group in self._groups:
            await self.channel_layer.group_discard(group, self.channel_name)
        self._groups = ()
        connection_id, self.connection_id = self.connection_id, None
        if connection_id is not None:
            await runtime.forget(connection_id)

    async def _reaped(self) -> None:
        self.connection_id = None
        await self.channel_layer.send(self.channel_name, {"type": "presence.reaped"})

    async def _ping_forever(self) -> None:
        while True:
            await asyncio.sleep(settings.SSE_PING_SECONDS)
            await self.send_body(b":ping\n\n", more_body=True)

    async def _json(self, status: int, body: dict[str, str]) -> None:
        headers = [(b"Content-Type", b"application/json; charset=utf-8"), *self._cors()]
        await self.send_response(
            status, json.dumps(body, separators=(",", ":")).encode(), headers=headers
        )

    def _cors(self) -> list[tuple[bytes, bytes]]:
        # Served outside Django's middleware, so the desktop app's CORS allowance is repeated.
        origin = header(self.scope, b"origin")
        if origin is None or origin not in settings.CORS_ALLOWED_ORIGINS:
            return []
        return [(b"Access-Control-Allow-Origin", origin.encode("latin1")), (b"Vary", b"Origin")]
