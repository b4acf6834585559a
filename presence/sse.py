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

from accounts.authentication import token_authenticate
from accounts.credentials import credential_for
from accounts.models import User
from core.errors import Unauthorized
from presence.auth import bearer_token, header
from presence.transport import RealtimeConnection, Refusal
from realtime.hub import Frames

STREAM_HEADERS = [
    (b"Content-Type", b"text/event-stream"),
    (b"Cache-Control", b"no-cache"),
    (b"Connection", b"keep-alive"),
    (b"X-Accel-Buffering", b"no"),
    (b"X-Content-Type-Options", b"nosniff"),
]
REFUSALS: dict[Refusal, tuple[int, str]] = {
    "server_full": (429, "Server connection limit reached"),
    "user_full": (429, "Too many concurrent connections"),
    "unavailable": (503, "Events are unavailable for a moment, please retry"),
}


def query_token(scope: dict[str, Any]) -> str | None:
    """The single `?token=` value; given twice it counts as missing, as in 1.x (Express)."""
    query = parse_qs(scope.get("query_string", b"").decode("latin1"), keep_blank_values=True)
    values = query.get("token", [])
    return values[0] if len(values) == 1 else None


class EventStreamConsumer(RealtimeConnection, AsyncHttpConsumer):  # type: ignore[misc]
    """One 1.x client's event stream: authenticated by `?token=` or a bearer header, opened
    with `:ok`, then every event of theirs in 1.x's SSE framing."""

    transport = "sse"
    ping_setting = "SSE_PING_SECONDS"
    _task: asyncio.Task[Any] | None = None
    _ended_here = False

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self._task = asyncio.current_task()
        try:
            await super().__call__(scope, receive, send)
        except asyncio.CancelledError:
            if not self._ended_here:
                raise

    async def http_request(self, message: dict[str, Any]) -> None:
        # AsyncHttpConsumer ends the response when handle() returns; a stream stays open until
        # the client goes (http.disconnect) or the server ends it.
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
        try:
            user = await database_sync_to_async(token_authenticate)(token)
        except Unauthorized as refused:
            await self._json(refused.status, refused.body())
            return
        await self.start(user, credential_for(user, token=token))

    async def refuse(self, reason: Refusal) -> None:
        status, message = REFUSALS[reason]
        await self._json(status, {"error": message})

    def greeting(self, user: User, connection_id: uuid.UUID) -> str:
        return ":ok\n\n"

    async def open(self, greeting: str) -> None:
        await self.send_headers(status=200, headers=[*STREAM_HEADERS, *self._cors()])
        await self.send_body(greeting.encode(), more_body=True)

    async def write(self, frames: Frames) -> None:
        await self.base_send({"type": "http.response.body", "body": frames.sse, "more_body": True})

    async def ping(self) -> None:
        await self.send_body(b":ping\n\n", more_body=True)

    async def reconnect(self) -> None:
        await self.end()

    async def revoke(self) -> None:
        # 1.x clients reconnect when a stream ends; with the same token they then get the 401.
        await self.end()

    async def end(self) -> None:
        """Ends the response, then this consumer's task: an HTTP consumer has no message of its
        own to stop on until the client hangs up."""
        await self.send_body(b"", more_body=False)
        await self.stop()
        if self._task is not None and self._task is not asyncio.current_task():
            self._ended_here = True
            self._task.cancel()

    async def disconnect(self) -> None:
        # The client went; an event stream cannot say why, so only its pings tell a reload.
        await self.stop(lost=True)

    async def _json(self, status: int, body: dict[str, Any]) -> None:
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
