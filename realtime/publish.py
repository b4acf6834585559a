"""`publish`, the one door from a service to connected clients, and who hears an event.

The caller names the audience when it makes the event, inside its transaction: `Users(...)`
resolved from the database at that moment, or `Everyone()`. The event is serialised once and
sent when the transaction commits, so a rolled-back change is never announced and an audience
cannot change between the decision and the delivery.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from .events import Event

EVERYONE_GROUP = "everyone"
RELAY_TYPE = "event.relay"


def user_group(user_id: int) -> str:
    """The channel-layer group holding every realtime connection of one user."""
    return f"user.{user_id}"


@dataclass(frozen=True, slots=True)
class Everyone:
    """Every open realtime connection, optionally except one user's own."""

    exclude_user_id: int | None = None


@dataclass(frozen=True, slots=True)
class Users:
    """The connections of the given users."""

    user_ids: tuple[int, ...]

    @classmethod
    def of(cls, user_ids: Iterable[int]) -> Users:
        return cls(tuple(user_ids))

    @classmethod
    def one(cls, user_id: int) -> Users:
        return cls((user_id,))


Audience = Everyone | Users

_recorders: list[Callable[[Event, Audience], None]] = []


def add_recorder(recorder: Callable[[Event, Audience], None]) -> Callable[[], None]:
    """Observes every event as it is sent (tests and benchmarks); returns an undo function."""
    _recorders.append(recorder)
    return lambda: _recorders.remove(recorder)


def encode(event: Event) -> str:
    """The payload as compact JSON, exactly once per event."""
    return json.dumps(event.payload(), separators=(",", ":"), ensure_ascii=False)


def publish(event: Event, *, to: Audience) -> None:
    """Sends `event` to `to` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _send(event, to), robust=True)


def _send(event: Event, audience: Audience) -> None:
    for recorder in list(_recorders):
        recorder(event, audience)
    message: dict[str, Any] = {"type": RELAY_TYPE, "event": event.name, "data": encode(event)}
    if isinstance(audience, Everyone):
        message["exclude"] = audience.exclude_user_id
        groups = [EVERYONE_GROUP]
    else:
        groups = [user_group(user_id) for user_id in audience.user_ids]
    if groups:
        async_to_sync(_group_send_all)(groups, message)


async def _group_send_all(groups: list[str], message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    await asyncio.gather(*(layer.group_send(group, message) for group in groups))


def frame_ws(event_name: str, data_json: str) -> str:
    """A WebSocket text frame: `{"type": <event name>, "data": <payload>}`."""
    return f'{{"type":{json.dumps(event_name)},"data":{data_json}}}'


def frame_sse(event_name: str, data_json: str) -> bytes:
    """An SSE message in 1.x framing: `event:` line, one `data:` line, blank line."""
    return f"event: {event_name}\ndata: {data_json}\n\n".encode()
