"""Who may read and delete chat lines."""

from __future__ import annotations

from accounts.models import User
from rooms.models import Room
from rooms.selectors import user_room_id

from .models import ChatMessage


def can_read_history(user: User, room: Room) -> bool:
    """Only the room's members: history is what the room said, and who is in it can hear it
    (a jailed user is in their jail, so reads only the jail's)."""
    return user_room_id(user.pk) == room.pk


def can_delete_message(user: User, message: ChatMessage) -> bool:
    """The author, the room's creator, or staff."""
    if user.is_staff:
        return True
    if message.author_id is not None and message.author_id == user.pk:
        return True
    return message.room.created_by_id is not None and message.room.created_by_id == user.pk
