"""Room services: create, delete, join and leave, with 1.x's rules, messages and events.

Membership itself changes only through `rooms.membership`; these services decide whether a
change is allowed and what else goes with it (tokens, last room, room rows).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol, TypedDict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError

from accounts.models import User
from core.errors import BadRequest, Conflict, Forbidden, InternalError, NotFound
from core.parsing import JS_WHITESPACE, js_trim, utf16_len
from realtime.events import RoomCreated, RoomDeleted
from realtime.publish import Everyone, publish

from . import livekit
from .membership import membership_end, membership_enter
from .models import Membership, Room
from .permissions import can_delete_room
from .selectors import room_row, user_room_id

MAX_ROOMS = 100
ROOM_NAME_MAX = 64
# 1.x's /^[\w\s\-!@#&()]+$/u: ASCII word characters, JavaScript's whitespace set, and - ! @ # & ( ).
# No ':' so that no user room can pose as "Jail: ...".
_ROOM_NAME = re.compile("[A-Za-z0-9_" + re.escape(JS_WHITESPACE) + r"\-!@#&()]+")


class JoinRoomRef(TypedDict):
    id: int
    name: str
    type: str
    mode: str
    is_jail: int
    created_by: int | None


class JoinGrant(TypedDict):
    """The 1.x join body: what a client needs to connect to the room's LiveKit room."""

    token: str
    e2eeKey: str
    room: JoinRoomRef
    wsUrl: str


class JoinGuard(Protocol):
    """Refuses a join by raising an ApiError (e.g. Forbidden with a `punishment` extra)."""

    def __call__(self, *, user: User, room: Room) -> None: ...


_join_guards: list[JoinGuard] = []


def join_guard_register(guard: JoinGuard) -> Callable[[], None]:
    """Adds a check every join must pass (apps register theirs in AppConfig.ready); returns a
    function that removes it again."""
    if guard not in _join_guards:
        _join_guards.append(guard)

    def unregister() -> None:
        if guard in _join_guards:
            _join_guards.remove(guard)

    return unregister


def room_credentials(*, room: Room, user: User) -> JoinGrant:
    """A LiveKit token and E2EE key for `user` in `room`, as the 1.x join body. No side effects."""
    try:
        token = livekit.participant_token(
            identity=user.username, name=user.display_name, room_name=room.name
        )
    except livekit.LiveKitError as exc:
        raise InternalError("Failed to join room") from exc
    return {
        "token": token,
        "e2eeKey": livekit.e2ee_key(room.name),
        "room": {
            "id": room.pk,
            "name": room.name,
            "type": room.type,
            "mode": room.mode,
            "is_jail": int(room.is_jail),
            "created_by": room.created_by_id,
        },
        "wsUrl": settings.LIVEKIT_PUBLIC_URL,
    }


def _room_locked(room_id: int) -> Room:
    room = Room.objects.select_for_update().filter(pk=room_id).first()
    if room is None:
        raise NotFound("Room not found")
    return room


@transaction.atomic
def room_join(*, room: Room, user: User) -> JoinGrant:
    """Puts `user` in `room` if every join guard allows it, remembers it as their last room, and
    returns their credentials. Publishes `user:room_leave`/`user:room_join` (and whispers chain
    updates) through membership; nothing changes if any step fails."""
    room = _room_locked(room.pk)
    for guard in list(_join_guards):
        guard(user=user, room=room)
    # Minted before anything is written: a failure here leaves no trace (1.x wrote first).
    grant = room_credentials(room=room, user=user)
    membership_enter(user=user, room=room)
    User.objects.filter(pk=user.pk).update(last_room=room)
    user.last_room = room
    return grant


@transaction.atomic
def room_leave(*, user: User, room: Room | None = None) -> int | None:
    """Takes `user` out of their room (only if it is `room`, when given). Publishes
    `user:room_leave` through membership. Returns the id of the room left, if any."""
    if room is not None and user_room_id(user.pk) != room.pk:
        return None
    return membership_end(user=user)


def _room_name(raw: Any) -> str:
    if not isinstance(raw, str) or not js_trim(raw):
        raise BadRequest("Room name is required")
    name = js_trim(raw)
    if utf16_len(name) > ROOM_NAME_MAX:
        raise BadRequest("Room name must be 64 characters or less")
    if not _ROOM_NAME.fullmatch(name):
        raise BadRequest("Room name contains invalid characters")
    return name


@transaction.atomic
def room_create(*, user: User | None, name: Any, type: Any = None) -> Room:
    """Creates a room owned by `user` (None: an operator's room, which only staff may delete)
    after 1.x's checks (name rules, 100-room cap, unique name). Publishes `room:created`."""
    clean_name = _room_name(name)
    if Room.objects.filter(is_jail=False).count() >= MAX_ROOMS:
        raise BadRequest("Maximum number of rooms reached")
    if Room.objects.filter(name=clean_name).exists():
        raise Conflict("A room with that name already exists")
    try:
        with transaction.atomic():
            room = Room.objects.create(
                name=clean_name,
                # 1.x: exactly "video" makes a video room; anything else silently means voice.
                type=Room.Type.VIDEO if type == "video" else Room.Type.VOICE,
                created_by=user,
            )
    except IntegrityError as exc:
        raise Conflict("A room with that name already exists") from exc
    publish(RoomCreated(room=room_row(room)), to=Everyone())
    return room


@transaction.atomic
def room_delete(*, room: Room, user: User) -> None:
    """Deletes a room (its creator or staff) with its jail rooms, after moving everyone in them
    out. Publishes `user:room_leave` for each member, then `room:deleted` for each room."""
    room = _room_locked(room.pk)
    if not can_delete_room(user, room):
        raise Forbidden("Only the room creator can delete this room")
    doomed = [*Room.objects.filter(jail_source=room).order_by("pk"), room]
    rows = [room_row(r) for r in doomed]
    members = Membership.objects.filter(room__in=doomed).select_related("user").order_by("pk")
    for membership in members:
        membership_end(user=membership.user)
    try:
        with transaction.atomic():
            room.delete()
    except (ProtectedError, RestrictedError) as exc:
        # Every reference to a room is declared to go with it; a new one that is not must
        # refuse cleanly rather than fail the request.
        raise Conflict("This room cannot be deleted") from exc
    for row in rows:
        publish(RoomDeleted(room=row), to=Everyone())
