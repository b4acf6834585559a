"""Who may do what to a room."""

from __future__ import annotations

from accounts.models import User

from .models import Room


def can_delete_room(user: User, room: Room) -> bool:
    """The room's creator, or staff. General and jails have no creator: staff only. (Nobody
    deletes General, whoever may otherwise: `rooms.services.rooms.room_delete`.)"""
    return user.is_staff or (room.created_by_id is not None and room.created_by_id == user.pk)
