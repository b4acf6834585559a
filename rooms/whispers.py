"""The whispers chain: each member hears only the member before them, circularly.

Plain chain operations used by the membership and mode services; callers hold the transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.db.models import Max

from .models import WhisperLink


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


def chain_append(*, room_id: int, user_id: int) -> bool:
    """Adds a user at the end of the chain; a member keeps their place. True if added."""
    if WhisperLink.objects.filter(room_id=room_id, user_id=user_id).exists():
        return False
    last = WhisperLink.objects.filter(room_id=room_id).aggregate(m=Max("position"))["m"]
    WhisperLink.objects.create(
        room_id=room_id, user_id=user_id, position=0 if last is None else last + 1
    )
    return True


def chain_remove(*, room_id: int, user_id: int) -> bool:
    """Removes a user and renumbers the rest 0..n-1 in their old order. True if removed."""
    deleted, _ = WhisperLink.objects.filter(room_id=room_id, user_id=user_id).delete()
    if not deleted:
        return False
    links = list(WhisperLink.objects.filter(room_id=room_id).order_by("position"))
    # Two passes so the (room, position) unique constraint never sees a duplicate midway.
    for offset, link in enumerate(links):
        link.position = len(links) + offset + 1
    WhisperLink.objects.bulk_update(links, ["position"])
    for position, link in enumerate(links):
        link.position = position
    WhisperLink.objects.bulk_update(links, ["position"])
    return True


def chain_clear(*, room_id: int) -> None:
    """Deletes the room's chain."""
    WhisperLink.objects.filter(room_id=room_id).delete()
