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
from core.errors import Forbidden, InternalError
from core.rates import rate_hit
from core.retry import retry_transaction
from realtime.events import RoomJoined, RoomLeft, WhispersChainUpdated
from realtime.payloads import ChainReason, RoomConnection, RoomT
from realtime.publish import Everyone, publish
from rooms.models import Room
from rooms.selectors import join_room, room_audience, whisper_chain
from rooms.services import locks, whispers
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


@retry_transaction
@transaction.atomic
def _room_join(*, room_id: int, user: User) -> JoinGrant:
    # The hottest write of all: a few fixed statements (see core.db), not the ORM's dozen. A
    # rejoin is three in the transaction: the room locked with the user's membership and last
    # room, the join guard, the membership moved; a move adds the last room. Locks are taken
    # in the order written down in rooms.services.locks.
    room, left, current_room_id, last_room_id = locks.move_lock(room_id=room_id, user_id=user.pk)
    for guard in join_guards():
        guard(user=user, room=room)
    # Minted before anything is written: a failure here leaves no trace (1.x wrote first).
    grant = room_credentials(room=room, user=user)
    if last_room_id != room.pk:
        # Step 2 of the lock order: the user's row, before their membership.
        db.execute(_REMEMBER_ROOM, [room.pk, user.pk, room.pk])
    mode = room.mode
    _move(user=user, room=room, left=left, current_room_id=current_room_id)
    if room.mode != mode:
        # Its chain ended while this join waited for it: the body says what the room is now.
        grant["room"] = join_room(room)
    user.last_room_id = room.pk
    return grant


@retry_transaction
@transaction.atomic
def room_sync(*, room_id: int, user: User) -> None:
    """2.x's re-assertion after a client's event stream reconnects: puts `user` back in the
    room their call is still connected to, if every join guard allows it, without minting
    credentials or touching their last room. Publishes `user:room_leave`/`user:room_join` and
    whispers chain updates (`reason: "user_synced"`) only if their room changes. Raises
    NotFound for an unknown room."""
    room, left, current_room_id, _ = locks.move_lock(room_id=room_id, user_id=user.pk)
    for guard in join_guards():
        try:
            guard(user=user, room=room)
        except Forbidden as refused:
            # 2.x answers a sync with the message alone, without the join's `punishment`.
            raise Forbidden(refused.message) from refused
    if current_room_id != room.pk:
        user_lock(user.pk)
        _move(
            user=user, room=room, left=left, current_room_id=current_room_id, reason="user_synced"
        )


_REMEMBER_ROOM = db.sql(
    "UPDATE {users} SET {last_room} = %s WHERE {id} = %s"
    " AND ({last_room} IS NULL OR {last_room} <> %s)",
    users=db.table(User),
    last_room=db.column(User, "last_room_id"),
    id=db.column(User, "id"),
)


@retry_transaction
@transaction.atomic
def room_leave(*, user: User, room: Room | None = None) -> int | None:
    """Takes `user` out of their room (only if it is `room`, when given). Publishes
    `user:room_leave`. Returns the id of the room left, if any."""
    if room is not None:
        # Asked with their room locked: a move of theirs meanwhile must not be undone here.
        current = locks.member_lock(user_id=user.pk)
        if current is None or current.pk != room.pk:
            return None
    return membership_end(user=user)


@transaction.atomic
def membership_enter(*, user: User, room: Room) -> int | None:
    """Puts `user` in `room`, leaving any other room first. Publishes `user:room_leave` for the
    old room, `user:room_join` for the new one, and whispers chain updates. Returns the id of
    the room left, if any."""
    locked, left, current_room_id, _ = locks.move_lock(room_id=room.pk, user_id=user.pk)
    user_lock(user.pk)
    return _move(user=user, room=locked, left=left, current_room_id=current_room_id)


def _move(
    *,
    user: User,
    room: Room,
    left: Room | None,
    current_room_id: int | None,
    reason: ChainReason = "user_joined",
) -> int | None:
    # Steps 3 to 5 of the lock order; the rooms (step 1) are locked, and the user (step 2) if
    # anything of theirs besides the membership changes.
    locks.membership_move(
        user_id=user.pk, room_id=room.pk, current_room_id=current_room_id, at=timezone.now()
    )
    # A room in normal mode stays so while its row is locked: only its chain's end changes a
    # mode without the room's FOR UPDATE, and only from whispers to normal.
    chained = [r.pk for r in (left, room) if r is not None and r.mode == Room.Mode.WHISPERS]
    locks.chains_lock(chained)
    if left is not None:
        _left(user=user, room_id=left.pk, chained=left.pk in chained)
    # Sent even when rejoining the same room, as 1.x did: clients treat it as a "set".
    publish(RoomJoined(user=user_ref(user), roomId=room.pk), to=Everyone())
    if room.pk in chained:
        added = whispers.chain_append(room_id=room.pk, user_id=user.pk)
        if added is None:
            room.mode = Room.Mode.NORMAL
        elif added:
            _chain_updated(room_id=room.pk, reason=reason)
    return left.pk if left is not None else None


@transaction.atomic
def membership_end(*, user: User) -> int | None:
    """Takes `user` out of their room. Publishes `user:room_leave` and whispers chain updates.
    Returns the id of the room left, or None if they were in none."""
    room = locks.member_lock(user_id=user.pk)
    if room is None:
        return None
    locks.membership_delete(user_id=user.pk, room_id=room.pk)
    chained = room.mode == Room.Mode.WHISPERS
    locks.chains_lock([room.pk] if chained else [])
    _left(user=user, room_id=room.pk, chained=chained)
    return room.pk


def _left(*, user: User, room_id: int, chained: bool) -> None:
    publish(RoomLeft(user=user_ref(user), roomId=room_id), to=Everyone())
    if chained and whispers.chain_remove(room_id=room_id, user_id=user.pk):
        _chain_updated(room_id=room_id, reason="user_left")


def _chain_updated(*, room_id: int, reason: ChainReason) -> None:
    publish(
        WhispersChainUpdated(roomId=room_id, chain=whisper_chain(room_id), reason=reason),
        to=room_audience(room_id),
    )
