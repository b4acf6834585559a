"""Whispers mode: turning it on and off (1.x `POST /api/rooms/:id/mode`) and the staff reset."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from core.errors import BadRequest, Forbidden, NotFound
from realtime.events import RoomUpdated, WhispersActivated
from realtime.payloads import ChainEntry
from realtime.publish import Everyone, publish

from . import whispers
from .models import Room
from .selectors import room_audience, room_member_ids, room_row, user_room_id, whisper_chain

MODES = ("normal", "whispers")


def whispers_mode_set(*, room_id: int, user: User, mode: Any) -> list[ChainEntry] | None:
    """Any member switches their room to whispers (a fresh CSPRNG shuffle of the members,
    `whispers:activated`) or back to normal (`whispers:deactivated`); `room:updated` when the
    mode changes. Returns the chain, or None for normal. Fewer than 2 members leaves the room
    in normal mode (chain cleared, deactivated if it was on) and is refused."""
    if not isinstance(mode, str) or mode not in MODES:
        raise BadRequest('mode must be "normal" or "whispers"')
    with transaction.atomic():
        room = _room_for_member(room_id=room_id, user=user)
        if mode == Room.Mode.NORMAL:
            whispers.whispers_end(room_id=room.pk)
            return None
        members = room_member_ids(room.pk)
        if len(members) < whispers.MIN_CHAIN:
            # 1.x flipped such a room to normal silently and kept its chain.
            whispers.whispers_end(room_id=room.pk, announce=room.mode == Room.Mode.WHISPERS)
        else:
            return _activate(room=room, member_ids=members)
    # Raised after the block commits: the room must stay in normal mode despite the refusal.
    raise BadRequest("Need at least 2 participants for Whispers")


def _room_for_member(*, room_id: int, user: User) -> Room:
    room = Room.objects.select_for_update().filter(pk=room_id).first()
    if room is None:
        raise NotFound("Room not found")
    if room.is_jail:
        raise BadRequest("Cannot change mode of jail rooms")
    if user_room_id(user.pk) != room.pk:
        raise Forbidden("You must be in the room to change its mode")
    return room


def _activate(*, room: Room, member_ids: list[int]) -> list[ChainEntry]:
    changed = room.mode != Room.Mode.WHISPERS
    if changed:
        room.mode = Room.Mode.WHISPERS
        room.save(update_fields=["mode"])
    # Repeating the call reshuffles, as in 1.x.
    whispers.chain_shuffle(room_id=room.pk, user_ids=member_ids)
    chain = whisper_chain(room.pk)
    publish(WhispersActivated(roomId=room.pk, chain=chain), to=room_audience(room.pk))
    if changed:
        publish(RoomUpdated(room=room_row(room)), to=Everyone())
    return chain


@transaction.atomic
def whispers_reset(*, room: Room, actor: User) -> bool:
    """Staff override: ends whispers mode in a room and clears its chain. Publishes
    `whispers:deactivated` (if it was on) and `room:updated`. True if the room was in whispers."""
    if not actor.is_staff:
        raise Forbidden("Only staff can reset whispers")
    locked = Room.objects.select_for_update().get(pk=room.pk)
    was_on = locked.mode == Room.Mode.WHISPERS
    whispers.whispers_end(room_id=locked.pk, announce=was_on)
    return was_on
