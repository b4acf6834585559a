"""A room's creator turns its music on or off and locks or unlocks who controls it."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from core.errors import BadRequest, Forbidden, NotFound
from music.models import RoomMusic
from music.permissions import can_configure_music
from music.selectors import station_default
from music.services.control import announce
from rooms.selectors import room_find

NOT_CREATOR = "Only the room's creator can change its music settings"
BAD_FLAG = "{} must be true or false"
ROOM_NOT_FOUND = "Room not found"


@transaction.atomic
def music_configure(*, user: User, room_id: int, enabled: Any, locked: Any) -> RoomMusic:
    """Sets `enabled` and/or `locked` (None leaves one as it is). Turning music on starts the
    radio on the first station. Publishes `music:status` to the room."""
    for name, value in (("enabled", enabled), ("locked", locked)):
        if value is not None and not isinstance(value, bool):
            raise BadRequest(BAD_FLAG.format(name))
    room = room_find(room_id)
    if room is None:
        raise NotFound(ROOM_NOT_FOUND)
    if not can_configure_music(user, room):
        raise Forbidden(NOT_CREATOR)
    RoomMusic.objects.get_or_create(room=room)
    player = RoomMusic.objects.select_for_update().get(pk=room.pk)
    if enabled is True and not player.enabled:
        player.station = player.station or station_default()
        player.mode, player.paused = RoomMusic.Mode.RADIO, False
        player.track += 1
    if enabled is not None:
        player.enabled = enabled
    if locked is not None:
        player.locked = locked
    player.save()
    announce(player)
    return player
