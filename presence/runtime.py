"""This process's side of presence: its identity, the connections it holds, and its heartbeat.

Each app process has a random id. While it holds connections it heart-beats in the database;
when it stops (SIGKILL, a frozen host), any other process's sweep reaps its connections. If
this process finds that some of its connections were reaped while it still held them (it was
frozen for too long), it closes them so their clients reconnect and are counted again.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import uuid
from datetime import datetime
from typing import Any, Protocol

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone

from accounts.credentials import Credential, credentials_holding
from presence.services.connections import presence_disconnect, process_heartbeat

logger = logging.getLogger(__name__)

PROCESS_ID = uuid.uuid4().hex


HOST_NAME = socket.gethostname()


def seat(scope: dict[str, Any]) -> str:
    """Where this process listens, as ASGI tells it (host name, address and port): a process
    that restarts there has replaced the one before, whose connections are gone."""
    server = scope.get("server") or ("", "")
    return f"{HOST_NAME}/{server[0]}:{server[1]}"


class Held(Protocol):
    """A live connection as the heartbeat sees it: what let it in, and how to end it."""

    credential: Credential

    async def reconnect(self) -> None: ...

    async def revoke(self) -> None: ...


_local: dict[uuid.UUID, Held] = {}
_heartbeat: asyncio.Task[None] | None = None


def hold(connection_id: uuid.UUID, connection: Held) -> None:
    """Remembers a connection this process serves, for the heartbeat to check on."""
    global _heartbeat
    _local[connection_id] = connection
    loop = asyncio.get_running_loop()
    if _heartbeat is None or _heartbeat.done() or _heartbeat.get_loop() is not loop:
        _heartbeat = loop.create_task(_beat_forever())


def release(connection_id: uuid.UUID) -> None:
    """Forgets a closed connection; the heartbeat stops with the last one."""
    global _heartbeat
    _local.pop(connection_id, None)
    if not _local and _heartbeat is not None:
        _heartbeat.cancel()
        _heartbeat = None


async def forget(
    connection_id: uuid.UUID, *, heard_at: datetime | None = None, leaving: bool = False
) -> None:
    """A connection of this process ended: release it and record the disconnect (the user's
    grace period starts if it was their last; see presence_disconnect)."""
    release(connection_id)
    await database_sync_to_async(presence_disconnect)(
        connection_id=connection_id, heard_at=heard_at, leaving=leaving
    )


def held() -> set[uuid.UUID]:
    """Ids of the connections this process serves right now."""
    return set(_local)


async def beat_once() -> None:
    """One heartbeat: marks this process alive, makes connections that were reaped reconnect,
    and closes those whose credential no longer holds (an account deactivated or deleted, a
    password changed by a path that announced nothing)."""
    on_record = await database_sync_to_async(process_heartbeat)(
        process_id=PROCESS_ID, now=timezone.now()
    )
    # Credentials first: a deleted account's connections are gone from the records too, and
    # its client must be told to sign in again, not to reconnect.
    connections = list(_local.items())
    holding = await database_sync_to_async(credentials_holding)(
        [connection.credential for _, connection in connections]
    )
    for (connection_id, connection), holds in zip(connections, holding, strict=True):
        if not holds:
            await connection.revoke()
        elif connection_id not in on_record and _local.pop(connection_id, None) is not None:
            await connection.reconnect()


async def _beat_forever() -> None:
    while True:
        await asyncio.sleep(settings.PRESENCE_HEARTBEAT_SECONDS)
        # A failed heartbeat (database briefly away) must not stop the next one.
        try:
            await beat_once()
        except Exception:
            logger.exception("Presence heartbeat failed")
