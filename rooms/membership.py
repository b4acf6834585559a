"""Membership: which room a user is in. Every change goes through here, whatever caused it
(a join, a leave, a jail, a lost connection, a LiveKit webhook), so the events and the whispers
chain always follow the same rules.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.selectors import user_ref
from realtime.events import RoomJoined, RoomLeft, WhispersChainUpdated
from realtime.publish import Everyone, publish

from . import whispers
from .models import Membership, Room
from .selectors import room_audience, whisper_chain


@transaction.atomic
def membership_enter(*, user: User, room: Room) -> int | None:
    """Puts `user` in `room`, leaving any other room first. Publishes `user:room_leave` for the
    old room, `user:room_join` for the new one, and whispers chain updates. Returns the id of
    the room left, if any."""
    current = Membership.objects.select_for_update().filter(user=user).first()
    previous_room_id = current.room_id if current else None
    if previous_room_id is not None and previous_room_id != room.pk:
        _left(user=user, room_id=previous_room_id)
    Membership.objects.update_or_create(
        user=user, defaults={"room": room, "joined_at": timezone.now()}
    )
    # Sent even when rejoining the same room, as 1.x did: clients treat it as a "set".
    publish(RoomJoined(user=user_ref(user), roomId=room.pk), to=Everyone())
    if room.mode == Room.Mode.WHISPERS and whispers.chain_append(room_id=room.pk, user_id=user.pk):
        _chain_updated(room_id=room.pk, reason="user_joined")
    return previous_room_id if previous_room_id != room.pk else None


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


def _chain_updated(*, room_id: int, reason: str) -> None:
    publish(
        WhispersChainUpdated(roomId=room_id, chain=whisper_chain(room_id), reason=reason),
        to=room_audience(room_id),
    )
