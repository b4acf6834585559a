"""The whispers chain: each member hears only the member before them, circularly.

Chain operations used by the membership and mode services; callers hold the transaction.
Every change is reported to the registered chain listeners (moderation keeps LiveKit's
subscriptions in line with the chain that way), and a chain that shrinks below two members
takes its room back to normal mode (1.x left such rooms in whispers forever).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence

from django.db.models import Max

from realtime.events import RoomUpdated, WhispersDeactivated
from realtime.publish import Everyone, publish

from .models import Room, WhisperLink
from .selectors import room_audience, room_row

MIN_CHAIN = 2

_chain_listeners: list[Callable[[int], None]] = []


def chain_listener_register(listener: Callable[[int], None]) -> None:
    """Registers `listener(room_id)`, called inside the transaction after each chain change."""
    if listener not in _chain_listeners:
        _chain_listeners.append(listener)


def _changed(room_id: int) -> None:
    for listener in list(_chain_listeners):
        listener(room_id)


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


def chain_append(*, room_id: int, user_id: int) -> bool:
    """Adds a user at the end of the chain; a member keeps their place. True if added."""
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


def whispers_end(*, room_id: int, announce: bool = True) -> bool:
    """Puts a room back in normal mode with no chain. Publishes `whispers:deactivated` to the
    room if `announce`, and `room:updated` to everyone if the mode changed. True if it did."""
    room = Room.objects.select_for_update().get(pk=room_id)
    changed = room.mode != Room.Mode.NORMAL
    if changed:
        room.mode = Room.Mode.NORMAL
        room.save(update_fields=["mode"])
    chain_clear(room_id=room_id)
    if announce:
        publish(WhispersDeactivated(roomId=room_id), to=room_audience(room_id))
    if changed:
        publish(RoomUpdated(room=room_row(room)), to=Everyone())
    return changed


def subscription_plan(
    *, chain: Sequence[str], audio_tracks: Mapping[str, Sequence[str]]
) -> dict[str, tuple[list[str], list[str]]]:
    """For each LiveKit participant, the audio track sids to subscribe to and to unsubscribe
    from: only the predecessor's in a chain, everyone's with no chain (normal mode). Anyone
    connected but not in the chain hears nobody."""
    plan: dict[str, tuple[list[str], list[str]]] = {}
    position = {identity: index for index, identity in enumerate(chain)}
    for identity in audio_tracks:
        if not chain:
            source: str | None = None
            hears = [other for other in audio_tracks if other != identity]
        else:
            index = position.get(identity)
            source = None if index is None else chain[(index - 1) % len(chain)]
            hears = [source] if source is not None and source != identity else []
        subscribe = [sid for other in hears for sid in audio_tracks.get(other, ())]
        unsubscribe = [
            sid
            for other, sids in audio_tracks.items()
            if other != identity and other not in hears
            for sid in sids
        ]
        plan[identity] = (subscribe, unsubscribe)
    return plan
