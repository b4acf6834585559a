"""What both realtime transports share: the life of one event connection.

A transport (the WebSocket, the 1.x SSE stream) authenticates its own way and frames events its
own way; the rest is here, in this order: attach to this process's hub, so nothing published
from now on is missed; record the connection (caps, online); open with the transport's greeting
(the WebSocket's hello snapshot), then write what arrived meanwhile; relay, ping; and clean up
exactly once, however the connection ends.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any, ClassVar, Literal

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone

from accounts.credentials import Credential, credential_holds
from accounts.models import User
from presence import runtime
from presence.services.connections import ConnectionRefused, presence_connect
from realtime.hub import Frames, LoopHub, RealtimeUnavailable, hub

Refusal = Literal["user_full", "server_full", "unavailable"]


class RealtimeConnection:
    """Mixin for a Channels consumer that streams events to one user (a hub Sink)."""

    transport: ClassVar[str]
    # The setting that says how often this transport pings an idle connection.
    ping_setting: ClassVar[str]
    scope: dict[str, Any]
    user_id: int = 0
    credential: Credential
    connection_id: uuid.UUID | None = None
    _hub: LoopHub | None = None
    _pending: list[Frames] | None = None
    _pinger: asyncio.Task[None] | None = None
    _heard_at: datetime | None = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)  # type: ignore[misc]
        finally:
            # On shutdown the server cancels what outlives its grace without a disconnect; record
            # it now, so clients reconnecting to another process within the grace go unnoticed.
            await self.stop()

    async def start(self, user: User, credential: Credential) -> None:
        """Attaches, records and opens the connection of `user`, or refuses it."""
        self.user_id, self.credential, self._pending = user.pk, credential, []
        loop_hub = hub()
        try:
            await loop_hub.attach(self)
        except RealtimeUnavailable:
            await self.refuse("unavailable")
            return
        self._hub = loop_hub
        try:
            self.connection_id, greeting = await database_sync_to_async(self._record)(user)
        except ConnectionRefused as refused:
            self._detach()
            await self.refuse(refused.reason)
            return
        runtime.hold(self.connection_id, self)
        await self.open(greeting)
        pending, self._pending = self._pending, None
        for frames in pending:
            await self.write(frames)
        self._pinger = asyncio.get_running_loop().create_task(self._ping_forever())

    def _record(self, user: User) -> tuple[uuid.UUID, str]:
        # One trip to the database thread for both: a connect storm after a restart is
        # hundreds of these at once.
        connection_id = presence_connect(
            user=user,
            transport=self.transport,
            process_id=runtime.PROCESS_ID,
            seat=runtime.seat(self.scope),
        )
        return connection_id, self.greeting(user, connection_id)

    async def deliver(self, frames: Frames) -> None:
        """An event for this user, written at once, or kept until the greeting is out."""
        if self._pending is not None:
            self._pending.append(frames)
        elif self.connection_id is not None:
            await self.write(frames)

    async def recheck(self) -> None:
        """The user's credentials changed somewhere: end this connection if its own no longer
        holds (the client is told to sign in again)."""
        if not await database_sync_to_async(credential_holds)(self.credential):
            await self.revoke()

    def heard(self) -> None:
        """The client sent something: it was alive just now (a heartbeat, see stop)."""
        self._heard_at = timezone.now()

    async def stop(self, *, lost: bool = False, leaving: bool = False) -> None:
        """Ends the connection's records: off the hub, and disconnected (the user's grace period
        starts if it was their last). A connection `lost` without a word from the client
        counts its last message as its last heartbeat; otherwise (the client's close, or the
        server ending it) the client was there until now, so a reload gets the long grace.
        `leaving`: the client closed saying it is done. Safe to call more than once."""
        if self._pinger is not None:
            self._pinger.cancel()
            self._pinger = None
        self._detach()
        connection_id, self.connection_id = self.connection_id, None
        if connection_id is not None:
            heard_at = self._heard_at if lost else timezone.now()
            await runtime.forget(connection_id, heard_at=heard_at, leaving=leaving)

    def _detach(self) -> None:
        loop_hub, self._hub = self._hub, None
        if loop_hub is not None:
            loop_hub.detach(self)

    async def _ping_forever(self) -> None:
        while True:
            await asyncio.sleep(getattr(settings, self.ping_setting))
            await self.ping()

    # --- What each transport does its own way -------------------------------------------------

    async def refuse(self, reason: Refusal) -> None:
        """Tells the client why it was not let in."""
        raise NotImplementedError

    def greeting(self, user: User, connection_id: uuid.UUID) -> str:
        """What the stream starts with (read from the database, off the event loop)."""
        raise NotImplementedError

    async def open(self, greeting: str) -> None:
        """Starts the stream with the transport's greeting."""
        raise NotImplementedError

    async def write(self, frames: Frames) -> None:
        """Writes one event in the transport's framing."""
        raise NotImplementedError

    async def ping(self) -> None:
        """Keeps the connection (and proxies) awake."""
        raise NotImplementedError

    async def reconnect(self) -> None:
        """Ends the connection so the client reconnects and takes a fresh snapshot (its records
        were reaped, or events may have been missed)."""
        raise NotImplementedError

    async def revoke(self) -> None:
        """Ends the connection because what let it in no longer holds: sign in again."""
        raise NotImplementedError
