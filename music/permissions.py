"""Who may do what with a room's music."""

from __future__ import annotations

from accounts.models import User
from rooms.models import Room

from .models import RoomMusic


def can_configure_music(user: User, room: Room) -> bool:
    """Turning music on or off and locking it: the room's creator, or staff."""
    return user.is_staff or (room.created_by_id is not None and room.created_by_id == user.pk)


def can_control_music(user: User, player: RoomMusic, *, member: bool) -> bool:
    """Queue, skip, pause, station: the room's members, or only its creator while locked."""
    if player.locked:
        return player.room.created_by_id == user.pk
    return member
