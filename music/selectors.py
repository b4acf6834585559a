"""Reads of DJ Tokoloshe's state: a room's whole MusicStatus, the station list, the queue."""

from __future__ import annotations

from realtime.payloads import MusicStatus, QueueEntryRef, StationRef

from .models import QueueEntry, RoomMusic, Station

UPLOAD_PREFIX = "upload:"


def station_ref(station: Station) -> StationRef:
    """A station as 2.x's Station: `{id, name, genre, url}`."""
    return {"id": station.slug, "name": station.name, "genre": station.genre, "url": station.url}


def entry_ref(entry: QueueEntry) -> QueueEntryRef:
    """A queue entry as 2.x's Entry; an uploaded file's url names it, never its path."""
    url = entry.url or f"{UPLOAD_PREFIX}{entry.upload}"
    return {"id": str(entry.pk), "url": url, "title": entry.title, "addedBy": entry.added_by}


def station_default() -> Station | None:
    """The station a player starts on: the first of the admin's list."""
    return Station.objects.first()


def music_status(player: RoomMusic) -> MusicStatus:
    """A room's MusicStatus, whole (2.x clients read every key)."""
    station = player.station
    status: MusicStatus = {
        "mode": player.mode,  # type: ignore[typeddict-item]
        "paused": player.paused,
        "nowPlaying": now_playing(player),
        "currentStation": None if station is None else station_ref(station),
        "queue": [entry_ref(entry) for entry in player.entries.all()],
        "stations": [station_ref(s) for s in Station.objects.all()],
        "roomId": player.room_id,
        "enabled": player.enabled,
        "locked": player.locked,
        "error": player.bot_error or None,
    }
    if player.mode == RoomMusic.Mode.EXTERNAL:
        status["streamer"] = player.streamer
        status["externalSessionId"] = player.external_session
    return status


def now_playing(player: RoomMusic) -> str | None:
    """What the room hears: the pipe's title, the queue's current entry, or the station."""
    if player.mode == RoomMusic.Mode.EXTERNAL:
        return player.external_title or None
    if player.mode == RoomMusic.Mode.QUEUE:
        return player.current_title or None
    return None if player.station is None else player.station.name


def player_of(room_id: int) -> RoomMusic:
    """The room's player row as it is (a room nobody configured has music off)."""
    player = RoomMusic.objects.select_related("station").filter(room_id=room_id).first()
    return player or RoomMusic(room_id=room_id)
