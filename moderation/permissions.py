"""Who may do what in moderation: `can_<verb>(user, obj) -> bool`."""

from __future__ import annotations

from accounts.models import User

from .models import Punishment


def can_lift_punishment(user: User, punishment: Punishment) -> bool:
    """The source room's creator (1.x), or staff (General has no creator until staff sets one)."""
    if user.is_staff:
        return True
    room = punishment.source_room
    creator_id = room.created_by_id if room is not None else None
    return creator_id is not None and creator_id == user.pk


def can_cancel_vote(user: User) -> bool:
    """Only staff may end a vote early by hand."""
    return user.is_staff


def can_moderate_rooms(user: User) -> bool:
    """Staff overrides on rooms: reset whispers, set the creator, remove from LiveKit."""
    return user.is_staff
