"""Which room's player a request means, and whether its caller may touch it."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from core.errors import BadRequest, Conflict, Forbidden, NotFound
from core.parsing import db_id
from music.models import RoomMusic
from music.permissions import can_control_music
from rooms.selectors import room_find, user_room_id

NO_ROOM = "You must be in a room to use music"
BAD_ROOM = "roomId must be a room ID"
ROOM_NOT_FOUND = "Room not found"
NOT_A_MEMBER = "Only the room's members can control its music"
NOT_ENABLED = "Music is not enabled in this room"
LOCKED = "Music in this room is locked by its creator"


def music_room_id(*, user: User, raw_room_id: Any) -> int:
    """The room a request is about: `roomId` if given, else the caller's room."""
    if raw_room_id is None:
        room_id = user_room_id(user.pk)
        if room_id is None:
            raise BadRequest(NO_ROOM)
        return room_id
    room_id = db_id(raw_room_id)
    if room_id is None:
        raise BadRequest(BAD_ROOM)
    return room_id


def player_for_control(*, user: User, room_id: int) -> RoomMusic:
    """The room's player, locked for this transaction, if `user` may control it now."""
    player = _player_locked(room_id)
    if not player.enabled:
        raise Conflict(NOT_ENABLED)
    member = user_room_id(user.pk) == room_id
    if not member:
        raise Forbidden(NOT_A_MEMBER)
    if not can_control_music(user, player, member=member):
        raise Forbidden(LOCKED)
    return player


def player_for_reading(*, user: User, room_id: int) -> RoomMusic:
    """The room's player (off if never configured), for its members and staff."""
    if room_find(room_id) is None:
        raise NotFound(ROOM_NOT_FOUND)
    if not user.is_staff and user_room_id(user.pk) != room_id:
        raise Forbidden(NOT_A_MEMBER)
    return _player(room_id)


def _player_locked(room_id: int) -> RoomMusic:
    assert transaction.get_connection().in_atomic_block
    if room_find(room_id) is None:
        raise NotFound(ROOM_NOT_FOUND)
    RoomMusic.objects.get_or_create(room_id=room_id)
    # The player row alone is locked: PostgreSQL cannot lock through the join to a station
    # that may be empty.
    players = RoomMusic.objects.select_for_update(of=("self",))
    return players.select_related("room", "station").get(pk=room_id)


def _player(room_id: int) -> RoomMusic:
    player = RoomMusic.objects.select_related("room", "station").filter(pk=room_id).first()
    return player or RoomMusic(room_id=room_id)
