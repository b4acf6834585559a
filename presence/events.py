"""Every server-to-client realtime event, defined once, and `publish`, the only door to them.

Events are frozen dataclasses whose fields are the 1.x wire payload (1.x field names kept as
they are). `publish` serialises an event once and hands it, after the surrounding transaction
commits, to the channel layer groups that the WebSocket and SSE consumers listen on.

This module is a leaf: it imports no app of ours. Room-scoped events need the room's members;
the rooms app registers that lookup with `set_room_members_resolver` when Django starts.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import Any, ClassVar, NotRequired, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

EVERYONE_GROUP = "everyone"
RELAY_TYPE = "event.relay"


def user_group(user_id: int) -> str:
    """The channel-layer group holding every realtime connection of one user."""
    return f"user.{user_id}"


# --- Payload shapes (1.x wire names) ------------------------------------------------------------


class UserRef(TypedDict):
    id: int
    username: str
    display_name: str


class ActorRef(TypedDict):
    id: int
    username: str
    displayName: str


class RoomRow(TypedDict):
    id: int
    name: str
    type: str
    created_by: int | None
    created_at: str
    mode: str
    is_jail: int
    jail_source_room_id: int | None


class ChainEntry(TypedDict):
    userId: int
    username: str
    displayName: str
    position: int


class VotePayload(TypedDict):
    id: int
    sourceRoomId: int
    targetUserId: int
    targetUsername: str
    targetDisplayName: str
    initiatedBy: ActorRef
    durationSecs: int
    eligibleCount: int
    expiresAt: str


class PunishmentPayload(TypedDict):
    id: int
    targetUserId: int
    targetUsername: str
    targetDisplayName: str
    sourceRoomId: int
    sourceRoomName: str
    jailRoomId: int
    jailRoomName: str
    durationSecs: int
    expiresAt: str


class JailConnection(TypedDict):
    token: str
    e2eeKey: str
    room: dict[str, Any]
    wsUrl: str
    expiresAt: NotRequired[str]


class HelloData(TypedDict):
    """The snapshot a WebSocket receives first, as `{"type": "hello", "data": HelloData}`."""

    me: UserRef
    online: list[UserRef]
    members: dict[str, list[UserRef]]
    votes: list[dict[str, Any]]
    punishments: list[dict[str, Any]]
    chains: dict[str, list[ChainEntry]]
    serverTime: str


# --- Events --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Base of every realtime event; `name` is the 1.x wire name."""

    name: ClassVar[str]

    def payload(self) -> dict[str, Any]:
        """The wire payload: every field, except optional ones left as None."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomCreated(Event):
    """A room was created (never sent for jails in 1.x; sent for them here)."""

    name: ClassVar[str] = "room:created"
    room: RoomRow


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomDeleted(Event):
    """A room was deleted; `room` is the row as it was before deletion."""

    name: ClassVar[str] = "room:deleted"
    room: RoomRow


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomUpdated(Event):
    """A room's row changed (mode, creator); new in 2.x, ignored by 1.x clients."""

    name: ClassVar[str] = "room:updated"
    room: RoomRow


@dataclass(frozen=True, slots=True, kw_only=True)
class UserRegistered(Event):
    """A new account exists (declared but never sent by 1.x)."""

    name: ClassVar[str] = "user:registered"
    user: UserRef


@dataclass(frozen=True, slots=True, kw_only=True)
class UserOnline(Event):
    """A user's first realtime connection opened."""

    name: ClassVar[str] = "user:online"
    user: UserRef


@dataclass(frozen=True, slots=True, kw_only=True)
class UserOffline(Event):
    """A user's last realtime connection has been gone for the grace period."""

    name: ClassVar[str] = "user:offline"
    user: UserRef


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomJoined(Event):
    """A user became a member of a room."""

    name: ClassVar[str] = "user:room_join"
    user: UserRef
    roomId: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomLeft(Event):
    """A user stopped being a member of a room."""

    name: ClassVar[str] = "user:room_leave"
    user: UserRef
    roomId: int


@dataclass(frozen=True, slots=True, kw_only=True)
class VoteStarted(Event):
    """A jail vote opened in a room (the target receives it too)."""

    name: ClassVar[str] = "vote:started"
    vote: VotePayload


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotCast(Event):
    """Someone voted; the counts after their ballot."""

    name: ClassVar[str] = "vote:ballot_cast"
    voteId: int
    sourceRoomId: int
    yesCount: int
    noCount: int
    eligibleCount: int


@dataclass(frozen=True, slots=True, kw_only=True)
class VoteResolved(Event):
    """A vote ended, early or at its deadline."""

    name: ClassVar[str] = "vote:resolved"
    voteId: int
    sourceRoomId: int
    passed: bool
    yesCount: int
    noCount: int
    eligibleCount: int
    targetUserId: int
    targetUsername: str
    targetDisplayName: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PunishmentStarted(Event):
    """A user was jailed. `jailConnection` is set only in the copy sent to the target."""

    name: ClassVar[str] = "punishment:started"
    punishment: PunishmentPayload
    jailConnection: JailConnection | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PunishmentExpired(Event):
    """A punishment reached its end."""

    name: ClassVar[str] = "punishment:expired"
    punishmentId: int
    targetUserId: int
    sourceRoomId: int
    sourceRoomName: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PunishmentLifted(Event):
    """A punishment was lifted early by the room creator or staff."""

    name: ClassVar[str] = "punishment:lifted"
    punishmentId: int
    targetUserId: int
    sourceRoomId: int
    sourceRoomName: str
    liftedBy: ActorRef


@dataclass(frozen=True, slots=True, kw_only=True)
class WhispersActivated(Event):
    """A room switched to whispers mode with a freshly shuffled chain."""

    name: ClassVar[str] = "whispers:activated"
    roomId: int
    chain: list[ChainEntry]


@dataclass(frozen=True, slots=True, kw_only=True)
class WhispersDeactivated(Event):
    """A room went back to normal mode."""

    name: ClassVar[str] = "whispers:deactivated"
    roomId: int


@dataclass(frozen=True, slots=True, kw_only=True)
class WhispersChainUpdated(Event):
    """A whispers room's chain changed because someone joined or left."""

    name: ClassVar[str] = "whispers:chain_updated"
    roomId: int
    chain: list[ChainEntry]
    reason: str


# --- Scopes -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Everyone:
    """Every open realtime connection, optionally except one user's own."""

    exclude_user_id: int | None = None


@dataclass(frozen=True, slots=True)
class Room:
    """The members of one room at the moment the event is sent."""

    room_id: int


@dataclass(frozen=True, slots=True)
class Users:
    """The connections of the given users."""

    user_ids: tuple[int, ...]

    @classmethod
    def one(cls, user_id: int) -> Users:
        return cls((user_id,))


Scope = Everyone | Room | Users

_room_members: Callable[[int], Iterable[int]] | None = None
_recorders: list[Callable[[Event, Scope], None]] = []


def set_room_members_resolver(resolver: Callable[[int], Iterable[int]]) -> None:
    """Registers how a room id becomes member user ids (the rooms app does this at start-up)."""
    global _room_members
    _room_members = resolver


def add_recorder(recorder: Callable[[Event, Scope], None]) -> Callable[[], None]:
    """Observes every event as it is sent (tests and benchmarks); returns an undo function."""
    _recorders.append(recorder)
    return lambda: _recorders.remove(recorder)


def encode(event: Event) -> str:
    """The payload as compact JSON, exactly once per event."""
    return json.dumps(event.payload(), separators=(",", ":"), ensure_ascii=False)


def publish(event: Event, *, to: Scope) -> None:
    """Sends `event` to `to` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _send(event, to), robust=True)


def _send(event: Event, scope: Scope) -> None:
    for recorder in list(_recorders):
        recorder(event, scope)
    message: dict[str, Any] = {"type": RELAY_TYPE, "event": event.name, "data": encode(event)}
    if isinstance(scope, Everyone):
        message["exclude"] = scope.exclude_user_id
        groups = [EVERYONE_GROUP]
    else:
        if isinstance(scope, Room):
            if _room_members is None:
                raise RuntimeError("No room members resolver registered")
            user_ids: Iterable[int] = _room_members(scope.room_id)
        else:
            user_ids = scope.user_ids
        groups = [user_group(user_id) for user_id in user_ids]
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
