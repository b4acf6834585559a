"""The realtime WebSocket at /ws/events: relays every published event to one connection.

Protocol (JSON text frames): the server sends `{"type": <1.x event name>, "data": <payload>}`;
the first frame is `{"type": "hello", "data": HelloData}`; `{"type": "ping"}` every
WS_PING_SECONDS. A client may send `{"type": "ping"}` and gets `{"type": "pong"}`; anything else
gets `{"type": "error", "data": {"error": "..."}}`. Refusals are an accepted handshake closed at
once with CLOSE_UNAUTHENTICATED, CLOSE_USER_LIMIT, CLOSE_SERVER_LIMIT or CLOSE_TRY_AGAIN.

Every client frame is a heartbeat: if the line dies, a client heard from in the last
PRESENCE_PING_FRESH_SECONDS gets the long grace (our page pings every 8 s). A client's close
frame proves it was there, so it gets the long grace too, except CLOSE_NORMAL, which is leaving.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer

from accounts.credentials import Credential
from accounts.models import User
from presence.selectors import hello_frame
from presence.transport import RealtimeConnection, Refusal
from realtime.hub import Frames

# The client closed saying it is done (our page signing out): with no other connection of
# theirs, that is leaving, at once. Browsers close with 1001 when a page unloads (a reload too),
# which starts the grace period like any other close.
CLOSE_NORMAL = 1000
# No close status: the line died without a word from the client.
CLOSE_LOST = frozenset({1005, 1006})
CLOSE_UNAUTHENTICATED = 4401
CLOSE_USER_LIMIT = 4429
CLOSE_SERVER_LIMIT = 4503
# The server dropped this connection from its records (its process was presumed dead):
# reconnect, like after a restart.
CLOSE_RECONNECT = 1012
# Events cannot reach this process for now (its Redis subscription is down): retry later.
CLOSE_TRY_AGAIN = 1013
CLOSE_CODES: dict[Refusal, int] = {
    "user_full": CLOSE_USER_LIMIT,
    "server_full": CLOSE_SERVER_LIMIT,
    "unavailable": CLOSE_TRY_AGAIN,
}

MAX_CLIENT_FRAME = 4096
PING_FRAME = '{"type":"ping"}'
PONG_FRAME = '{"type":"pong"}'


def frame_json(kind: str, data: Any) -> str:
    """A frame of ours (not a published event): `{"type": kind, "data": data}`."""
    return json.dumps({"type": kind, "data": data}, separators=(",", ":"), ensure_ascii=False)


def error_frame(message: str) -> str:
    return frame_json("error", {"error": message})


class EventsConsumer(RealtimeConnection, AsyncWebsocketConsumer):  # type: ignore[misc]
    """One user's WebSocket: authenticated by the handshake (session cookie or bearer token),
    opened with the hello snapshot, then every event of theirs as a JSON text frame."""

    transport = "ws"
    ping_setting = "WS_PING_SECONDS"

    async def connect(self) -> None:
        user, credential = self.scope.get("user"), self.scope.get("credential")
        if not isinstance(user, User) or not isinstance(credential, Credential):
            await self._refuse_with(CLOSE_UNAUTHENTICATED)
            return
        await self.start(user, credential)

    async def refuse(self, reason: Refusal) -> None:
        await self._refuse_with(CLOSE_CODES[reason])

    async def _refuse_with(self, code: int) -> None:
        # Closing before accept would reject the handshake with a bare HTTP 403; accepting
        # first lets the browser see the code and explain it.
        await self.accept()
        await self.close(code=code)

    def greeting(self, user: User, connection_id: uuid.UUID) -> str:
        return hello_frame(user=user, connection_id=connection_id)

    async def open(self, greeting: str) -> None:
        await self.accept()
        await self.send(text_data=greeting)

    async def write(self, frames: Frames) -> None:
        await self.base_send({"type": "websocket.send", "text": frames.websocket})

    async def ping(self) -> None:
        await self.send(text_data=PING_FRAME)

    async def reconnect(self) -> None:
        await self.close(code=CLOSE_RECONNECT)

    async def revoke(self) -> None:
        await self.close(code=CLOSE_UNAUTHENTICATED)

    async def disconnect(self, code: int) -> None:
        await self.stop(lost=code in CLOSE_LOST, leaving=code == CLOSE_NORMAL)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.connection_id is None:
            return
        self.heard()
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
