"""Whispers mode: each member hears only the member before them in a shuffled chain.

Turning it on and off (1.x `POST /api/rooms/:id/mode`), the staff reset, and the chain
operations membership uses. Every chain change is handed to the SFU (`sfu.outbox`), which keeps
LiveKit's audio subscriptions in line with it; a chain that shrinks below two members takes its
room back to normal mode (1.x left such rooms in whispers forever).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max

from accounts.models import User
from accounts.selectors import actor_ref
from audit.services import Kind, audit_record
from core.errors import BadRequest, Forbidden
from core.retry import retry_transaction
from realtime.events import RoomUpdated, WhispersActivated, WhispersDeactivated
from realtime.payloads import ChainEntry
from realtime.publish import Everyone, publish
from rooms.models import Room, WhisperLink
from rooms.selectors import room_audience, room_member_ids, room_row, user_room_id, whisper_chain
from rooms.services import locks
from sfu import outbox

MODES = ("normal", "whispers")
MIN_CHAIN = 2


# --- The mode ------------------------------------------------------------------------------------


@retry_transaction
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
            if whispers_end(room_id=room.pk, by=user):
                _audit(Kind.WHISPERS_OFF, room=room, actor=user)
            return None
        members = room_member_ids(room.pk)
        if len(members) < MIN_CHAIN:
            # 1.x flipped such a room to normal silently and kept its chain.
            whispers_end(room_id=room.pk, announce=room.mode == Room.Mode.WHISPERS)
        else:
            was_on = room.mode == Room.Mode.WHISPERS
            chain = _activate(room=room, member_ids=members, by=user)
            detail = f"{'Reshuffled: chain' if was_on else 'Chain'} of {len(chain)}"
            _audit(Kind.WHISPERS_ON, room=room, actor=user, detail=detail)
            return chain
    # Raised after the block commits: the room must stay in normal mode despite the refusal.
    raise BadRequest("Need at least 2 participants for Whispers")


def _room_for_member(*, room_id: int, user: User) -> Room:
    # Steps 1 and 4 of rooms.services.locks: the room FOR UPDATE (its members stay put until
    # this commits), then its chain.
    room = locks.room_lock(room_id)
    locks.chains_lock([room.pk])
    if room.is_jail:
        raise BadRequest("Cannot change mode of jail rooms")
    if user_room_id(user.pk) != room.pk:
        raise Forbidden("You must be in the room to change its mode")
    return room


def _activate(*, room: Room, member_ids: list[int], by: User) -> list[ChainEntry]:
    changed = room.mode != Room.Mode.WHISPERS
    if changed:
        room.mode = Room.Mode.WHISPERS
        room.save(update_fields=["mode"])
    # Repeating the call reshuffles, as in 1.x.
    chain_shuffle(room_id=room.pk, user_ids=member_ids)
    chain = whisper_chain(room.pk)
    publish(
        WhispersActivated(roomId=room.pk, chain=chain, by=actor_ref(by)), to=room_audience(room.pk)
    )
    if changed:
        publish(RoomUpdated(room=room_row(room)), to=Everyone())
    return chain


@transaction.atomic
def whispers_reset(*, room: Room, actor: User) -> bool:
    """Staff override: ends whispers mode in a room and clears its chain. Publishes
    `whispers:deactivated` (if it was on) and `room:updated`. True if the room was in whispers."""
    if not actor.is_staff:
        raise Forbidden("Only staff can reset whispers")
    locked = locks.room_lock(room.pk)
    locks.chains_lock([locked.pk])
    was_on = locked.mode == Room.Mode.WHISPERS
    whispers_end(room_id=locked.pk, announce=was_on, by=actor)
    detail = "Was on" if was_on else "Was already off"
    _audit(Kind.WHISPERS_RESET, room=locked, actor=actor, detail=detail, override=True)
    return was_on


def _audit(
    kind: Kind, *, room: Room, actor: User, detail: str = "", override: bool = False
) -> None:
    audit_record(
        kind=kind,
        actor=actor,
        room_id=room.pk,
        room_name=room.name,
        detail=detail,
        override=override,
    )


def whispers_end(*, room_id: int, announce: bool = True, by: User | None = None) -> bool:
    """Puts a room back in normal mode with no chain. Publishes `whispers:deactivated` to the
    room if `announce` (naming `by`, the person who did it, if any), and `room:updated` to
    everyone if the mode changed. True if it did. The caller holds the room (FOR KEY SHARE or
    FOR UPDATE) and its chain's lock (rooms.services.locks)."""
    # A plain conditional update, not a FOR UPDATE: a chain ends under a leave, which holds the
    # room only FOR KEY SHARE beside the joins that wait for this chain's lock.
    changed = bool(
        Room.objects.filter(pk=room_id, mode=Room.Mode.WHISPERS).update(mode=Room.Mode.NORMAL)
    )
    chain_clear(room_id=room_id)
    if announce:
        actor = actor_ref(by) if by is not None else None
        publish(WhispersDeactivated(roomId=room_id, by=actor), to=room_audience(room_id))
    if changed:
        publish(RoomUpdated(room=room_row(Room.objects.get(pk=room_id))), to=Everyone())
    return changed


def whispers_resync(*, room_name: str) -> None:
    """Someone joined or published in a LiveKit room (its webhook): in a whispers room, owes the
    SFU a pass that realigns every member's audio subscriptions with the chain."""
    room = Room.objects.filter(name=room_name, mode=Room.Mode.WHISPERS).first()
    if room is not None:
        _sync_sfu(room)


# --- The chain (callers hold the transaction, the room and its chain's lock) -----------------


def fisher_yates(items: Sequence[int]) -> list[int]:
    """An unbiased shuffle from a cryptographic RNG (1.x used Math.random)."""
    result = list(items)
    for i in range(len(result) - 1, 0, -1):
        j = secrets.randbelow(i + 1)
        result[i], result[j] = result[j], result[i]
    return result


def chain_shuffle(*, room_id: int, user_ids: Sequence[int]) -> None:
    """Replaces the room's chain with a fresh shuffle of `user_ids`."""
    WhisperLink.objects.filter(room_id=room_id).delete()
    WhisperLink.objects.bulk_create(
        WhisperLink(room_id=room_id, user_id=user_id, position=position)
        for position, user_id in enumerate(fisher_yates(user_ids))
    )
    _changed(room_id)


def chain_append(*, room_id: int, user_id: int) -> bool | None:
    """Adds a user at the end of the chain; a member keeps their place. True if added; None if
    the room is no longer in whispers mode (its chain ended while the caller waited for it)."""
    if not Room.objects.filter(pk=room_id, mode=Room.Mode.WHISPERS).exists():
        return None
    if WhisperLink.objects.filter(room_id=room_id, user_id=user_id).exists():
        return False
    last = WhisperLink.objects.filter(room_id=room_id).aggregate(m=Max("position"))["m"]
    WhisperLink.objects.create(
        room_id=room_id, user_id=user_id, position=0 if last is None else last + 1
    )
    _changed(room_id)
    return True


def chain_remove(*, room_id: int, user_id: int) -> bool:
    """Removes a user and renumbers the rest 0..n-1 in their old order. True if the chain
    changed and goes on; a chain left with fewer than 2 members ends whispers mode instead
    (publishing `whispers:deactivated` and `room:updated`) and returns False."""
    deleted, _ = WhisperLink.objects.filter(room_id=room_id, user_id=user_id).delete()
    if not deleted:
        return False
    links = list(WhisperLink.objects.filter(room_id=room_id).order_by("position"))
    if len(links) < MIN_CHAIN:
        whispers_end(room_id=room_id)
        return False
    # Two passes so the (room, position) unique constraint never sees a duplicate midway.
    for offset, link in enumerate(links):
        link.position = len(links) + offset + 1
    WhisperLink.objects.bulk_update(links, ["position"])
    for position, link in enumerate(links):
        link.position = position
    WhisperLink.objects.bulk_update(links, ["position"])
    _changed(room_id)
    return True


def chain_clear(*, room_id: int) -> None:
    """Deletes the room's chain."""
    deleted, _ = WhisperLink.objects.filter(room_id=room_id).delete()
    if deleted:
        _changed(room_id)


def _changed(room_id: int) -> None:
    room = Room.objects.filter(pk=room_id).first()
    if room is not None:
        _sync_sfu(room)


def _sync_sfu(room: Room) -> None:
    # LiveKit identities are usernames; an empty chain gives everyone everyone's audio back.
    chain = [entry["username"] for entry in whisper_chain(room.pk)]
    outbox.subscriptions_sync(room_name=room.name, chain=chain)
