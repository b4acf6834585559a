"""What `run_dj` reports back: a track that ended, a room it cannot play in. It writes through
these services like any other interface, so pages hear of it as `music:status`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef

from music.models import RoomMusic
from music.services.control import announce, player_advance
from rooms.models import Membership


@dataclass(frozen=True, slots=True)
class Assignment:
    """What the bot should be doing in one room: a snapshot of its player row."""

    room_id: int
    room_name: str
    mode: str
    paused: bool
    track: int
    source: str
    upload: str


@transaction.atomic
def music_track_finished(*, room_id: int, track: int) -> None:
    """The bot played `track` to its end: the queue moves on, once, unless it already has.
    Publishes `music:status` if it moved."""
    player = RoomMusic.objects.select_for_update().filter(pk=room_id).first()
    if player is None or player.track != track or player.mode != RoomMusic.Mode.QUEUE:
        return
    player_advance(player)
    announce(player)


@transaction.atomic
def music_bot_error(*, room_id: int, error: str) -> None:
    """Records (or with "" clears) why the bot cannot play in the room. Publishes
    `music:status` when that changes."""
    player = RoomMusic.objects.select_for_update().filter(pk=room_id).first()
    if player is None or player.bot_error == error[:300]:
        return
    player.bot_error = error[:300]
    player.save(update_fields=["bot_error"])
    announce(player)


def music_assignments() -> list[Assignment]:
    """Every room the bot should be in: music on and someone there. One query."""
    occupied = Exists(Membership.objects.filter(room_id=OuterRef("room_id")))
    rows = (
        RoomMusic.objects.filter(enabled=True)
        .filter(occupied)
        .select_related("room", "station")
        .order_by("room_id")
    )
    return [_assignment(player) for player in rows]


def _assignment(player: RoomMusic) -> Assignment:
    if player.mode == RoomMusic.Mode.QUEUE:
        source = player.current_url
    elif player.mode == RoomMusic.Mode.RADIO and player.station is not None:
        source = player.station.url
    else:
        source = ""
    return Assignment(
        room_id=player.room_id,
        room_name=player.room.name,
        mode=player.mode,
        paused=player.paused,
        track=player.track,
        source=source,
        upload=player.current_upload if player.mode == RoomMusic.Mode.QUEUE else "",
    )
