"""Membership: which room a user is in. Every change goes through here, whatever caused it
(a join, a leave, a jail, a lost connection, a LiveKit webhook), so the events and the whispers
chain always follow the same rules. Joining also mints the room's LiveKit credentials.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import User
from accounts.selectors import user_lock, user_ref
from core import db
from core.errors import Forbidden, InternalError, NotFound
from core.rates import rate_hit
from realtime.events import RoomJoined, RoomLeft, WhispersChainUpdated
from realtime.payloads import ChainReason, RoomConnection, RoomT
from realtime.publish import Everyone, publish
from rooms.models import Membership, Room
from rooms.selectors import join_room, room_audience, user_room_id, whisper_chain
from rooms.services import whispers
from rooms.shapes import JoinGrant
from sfu import livekit

JOIN_TOO_FAST = "You are switching rooms too quickly, please try again in a moment"


class JoinGuard(Protocol):
    """Refuses a join by raising an ApiError (e.g. Forbidden with a `punishment` extra)."""

    def __call__(self, *, user: User, room: Room) -> None: ...


def join_guards() -> list[JoinGuard]:
    """The checks every join must pass, listed in settings.ROOM_JOIN_GUARDS: rules of apps
    above rooms (a jail), which rooms cannot import."""
    return [import_string(path) for path in settings.ROOM_JOIN_GUARDS]


def room_credentials(*, room: Room, user: User) -> JoinGrant:
    """The 1.x join body: a LiveKit token and E2EE key for `user` in `room`. No side effects."""
    return room_connection(room=room, user=user, ref=join_room(room))


def room_connection(*, room: Room, user: User, ref: RoomT) -> RoomConnection[RoomT]:
    """A LiveKit token and E2EE key for `user` in `room`, which the body names as `ref`. No side
    effects."""
    try:
        token = livekit.participant_token(
            identity=user.username,
            name=user.display_name,
            room_name=room.name,
            # 2.x pages read the opt-out from here; it is updated in place when it changes.
            metadata=livekit.participant_metadata(soundbite_opt_out=user.soundbite_opt_out),
        )
    except livekit.LiveKitError as exc:
        raise InternalError("Failed to join room") from exc
    return {
        "token": token,
        "e2eeKey": livekit.e2ee_key(room.name),
        "room": ref,
        "wsUrl": settings.LIVEKIT_PUBLIC_URL,
    }


def room_join(*, room_id: int, user: User) -> JoinGrant:
    """Puts `user` in the room if every join guard allows it, remembers it as their last room,
    and returns their credentials. Publishes `user:room_leave`/`user:room_join` (and whispers
    chain updates); nothing changes if any step fails. Raises NotFound for an unknown room,
    TooManyRequests past ROOM_JOIN_RATE (each join is an event to everyone)."""
    # Counted before the transaction: one cache round trip, and a refused join costs no SQL.
    rate_hit(group="rooms.join", key=user.pk, rate=settings.ROOM_JOIN_RATE, message=JOIN_TOO_FAST)
    return _room_join(room_id=room_id, user=user)


@transaction.atomic
def _room_join(*, room_id: int, user: User) -> JoinGrant:
    # The hottest write of all: a few fixed statements (see core.db), not the ORM's dozen. On
    # SQLite a rejoin is three in the transaction: the room with the user's membership and
    # last room, the join guard, the membership moved.
    found = _room_and_current(room_id=room_id, user_id=user.pk)
    if found is None:
        raise NotFound("Room not found")
    room, current_room_id, last_room_id = found
    for guard in join_guards():
        guard(user=user, room=room)
    # Minted before anything is written: a failure here leaves no trace (1.x wrote first).
    grant = room_credentials(room=room, user=user)
    _move(user=user, room=room, current_room_id=current_room_id)
    if last_room_id != room.pk:
        db.execute(_REMEMBER_ROOM, [room.pk, user.pk, room.pk])
    user.last_room_id = room.pk
    return grant


@transaction.atomic
def room_sync(*, room_id: int, user: User) -> None:
    """2.x's re-assertion after a client's event stream reconnects: puts `user` back in the
    room their call is still connected to, if every join guard allows it, without minting
    credentials or touching their last room. Publishes `user:room_leave`/`user:room_join` and
    whispers chain updates (`reason: "user_synced"`) only if their room changes. Raises
    NotFound for an unknown room."""
    found = _room_and_current(room_id=room_id, user_id=user.pk)
    if found is None:
        raise NotFound("Room not found")
    room, current_room_id, _ = found
    for guard in join_guards():
        try:
            guard(user=user, room=room)
        except Forbidden as refused:
            # 2.x answers a sync with the message alone, without the join's `punishment`.
            raise Forbidden(refused.message) from refused
    if current_room_id != room.pk:
        _move(user=user, room=room, current_room_id=current_room_id, reason="user_synced")


_ROOM_FIELDS = ("id", "name", "type", "mode", "is_jail", "created_by_id")
# On PostgreSQL these lock the room (a join waits for its deletion), then the user (one user's
# joins happen one at a time, even before they have a membership row to lock), always in that
# order; SQLite's writer lock already serialises every write transaction.
_ROOM = db.sql(
    "SELECT {fields} FROM {rooms} WHERE {id} = %s{lock}",
    fields=db.columns(Room, _ROOM_FIELDS),
    rooms=db.table(Room),
    id=db.column(Room, "id"),
    lock=db.for_update(),
)
_REMEMBER_ROOM = db.sql(
    "UPDATE {users} SET {last_room} = %s WHERE {id} = %s"
    " AND ({last_room} IS NULL OR {last_room} <> %s)",
    users=db.table(User),
    last_room=db.column(User, "last_room_id"),
    id=db.column(User, "id"),
)
_MOVE_MEMBERSHIP = db.sql(
    "UPDATE {memberships} SET {room} = %s, {joined_at} = %s WHERE {user} = %s",
    memberships=db.table(Membership),
    room=db.column(Membership, "room_id"),
    joined_at=db.column(Membership, "joined_at"),
    user=db.column(Membership, "user_id"),
)


# Where nothing locks rows (SQLite, whose writer lock the transaction already holds), the room,
# the user's membership and their last room come in one statement.
_ROOM_AND_CURRENT = db.sql(
    "SELECT {fields}, (SELECT {member_room} FROM {memberships} WHERE {member} = %s),"
    " (SELECT {last_room} FROM {users} WHERE {user_id} = %s) FROM {rooms} WHERE {id} = %s",
    fields=db.columns(Room, _ROOM_FIELDS),
    member_room=db.column(Membership, "room_id"),
    memberships=db.table(Membership),
    member=db.column(Membership, "user_id"),
    last_room=db.column(User, "last_room_id"),
    users=db.table(User),
    user_id=db.column(User, "id"),
    rooms=db.table(Room),
    id=db.column(Room, "id"),
)
_LOCK_USER = db.sql(
    "SELECT {last_room} FROM {users} WHERE {id} = %s FOR UPDATE",
    last_room=db.column(User, "last_room_id"),
    users=db.table(User),
    id=db.column(User, "id"),
)


def _room_and_current(*, room_id: int, user_id: int) -> tuple[Room, int | None, int | None] | None:
    """The room, the room the user is in now and their last room (read after the locks)."""
    fields = len(_ROOM_FIELDS)
    if not db.for_update():
        row = db.select_one(_ROOM_AND_CURRENT, [user_id, user_id, room_id])
        if row is None:
            return None
        return db.instance(Room, _ROOM_FIELDS, row[:fields]), row[fields], row[fields + 1]
    row = db.select_one(_ROOM, [room_id])
    if row is None:
        return None
    locked = db.select_one(_LOCK_USER, [user_id])
    last_room_id = None if locked is None else locked[0]
    return db.instance(Room, _ROOM_FIELDS, row), user_room_id(user_id), last_room_id


def _current_room_id(user_id: int) -> int | None:
    user_lock(user_id)
    return user_room_id(user_id)


@transaction.atomic
def room_leave(*, user: User, room: Room | None = None) -> int | None:
    """Takes `user` out of their room (only if it is `room`, when given). Publishes
    `user:room_leave`. Returns the id of the room left, if any."""
    if room is not None and user_room_id(user.pk) != room.pk:
        return None
    return membership_end(user=user)


def room_locked(room_id: int) -> Room:
    """The room, locked for the rest of the transaction, or NotFound."""
    room = Room.objects.select_for_update().filter(pk=room_id).first()
    if room is None:
        raise NotFound("Room not found")
    return room


@transaction.atomic
def membership_enter(*, user: User, room: Room) -> int | None:
    """Puts `user` in `room`, leaving any other room first. Publishes `user:room_leave` for the
    old room, `user:room_join` for the new one, and whispers chain updates. Returns the id of
    the room left, if any."""
    return _move(user=user, room=room, current_room_id=_current_room_id(user.pk))


def _move(
    *,
    user: User,
    room: Room,
    current_room_id: int | None,
    reason: ChainReason = "user_joined",
) -> int | None:
    if current_room_id is not None and current_room_id != room.pk:
        _left(user=user, room_id=current_room_id)
    now = timezone.now()
    if current_room_id is None:
        Membership.objects.create(user=user, room=room, joined_at=now)
    else:
        db.execute(_MOVE_MEMBERSHIP, [room.pk, db.timestamp(now), user.pk])
    # Sent even when rejoining the same room, as 1.x did: clients treat it as a "set".
    publish(RoomJoined(user=user_ref(user), roomId=room.pk), to=Everyone())
    if room.mode == Room.Mode.WHISPERS and whispers.chain_append(room_id=room.pk, user_id=user.pk):
        _chain_updated(room_id=room.pk, reason=reason)
    return current_room_id if current_room_id != room.pk else None


@transaction.atomic
def membership_end(*, user: User) -> int | None:
    """Takes `user` out of their room. Publishes `user:room_leave` and whispers chain updates.
    Returns the id of the room left, or None if they were in none."""
    current = Membership.objects.select_for_update().filter(user=user).first()
    if current is None:
        return None
    room_id = current.room_id
    current.delete()
    _left(user=user, room_id=room_id)
    return room_id


def _left(*, user: User, room_id: int) -> None:
    publish(RoomLeft(user=user_ref(user), roomId=room_id), to=Everyone())
    if whispers.chain_remove(room_id=room_id, user_id=user.pk):
        _chain_updated(room_id=room_id, reason="user_left")


def _chain_updated(*, room_id: int, reason: ChainReason) -> None:
    publish(
        WhispersChainUpdated(roomId=room_id, chain=whisper_chain(room_id), reason=reason),
        to=room_audience(room_id),
    )
