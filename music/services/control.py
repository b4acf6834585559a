"""What a room's members do to its player: queue a URL or a file, remove, skip, pick a station,
pause. Each change is one transaction on the player row and one `music:status` to the room."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.files.storage import storages
from django.db import transaction

from accounts.models import User
from core.errors import BadRequest
from core.parsing import js_trim
from music.models import QueueEntry, RoomMusic, Station
from music.selectors import music_status
from music.services.rooms import player_for_control
from realtime.events import MusicStatusChanged
from realtime.publish import publish
from rooms.selectors import room_audience

MAX_QUEUE = 50
MAX_URL = 2048
MAX_TITLE = 256
URL_REQUIRED = "url is required"
URL_INVALID = "url must be a valid HTTP(S) URL"
URL_TOO_LONG = "url too long"
QUEUE_FULL = f"Queue is full (max {MAX_QUEUE})"
ID_REQUIRED = "id is required"
BAD_STATION = "Invalid stationId"
UPLOADS = "music_uploads"


def announce(player: RoomMusic) -> None:
    """Publishes the player's whole MusicStatus to the room's members after commit."""
    player.refresh_from_db()
    publish(MusicStatusChanged(status=music_status(player)), to=room_audience(player.room_id))


def queue_url(raw: Any) -> str:
    """A queueable URL (2.x's checks, in its order), or the exact 2.x refusal."""
    if not isinstance(raw, str) or not raw.strip():
        raise BadRequest(URL_REQUIRED)
    url = raw.strip()
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise BadRequest(URL_INVALID) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadRequest(URL_INVALID)
    if len(url) > MAX_URL:
        raise BadRequest(URL_TOO_LONG)
    return url


def entry_title(raw: Any, *, fallback: str) -> str:
    """The given title, trimmed and cut to fit, else the file's stem (2.x's default)."""
    if isinstance(raw, str) and js_trim(raw):
        return js_trim(raw)[:MAX_TITLE]
    stem = PurePosixPath(unquote(urlsplit(fallback).path or fallback)).stem
    return (stem or fallback)[:MAX_TITLE]


@transaction.atomic
def music_enqueue(
    *, user: User, room_id: int, url: str = "", upload: str = "", title: str
) -> QueueEntry:
    """Adds a URL or a stored upload to the room's queue; during radio it plays at once.
    Publishes `music:status` to the room."""
    player = player_for_control(user=user, room_id=room_id)
    if player.entries.count() >= MAX_QUEUE:
        raise BadRequest(QUEUE_FULL)
    entry = QueueEntry.objects.create(
        player=player, url=url, upload=upload, title=title, added_by=user.display_name[:64]
    )
    if player.mode == RoomMusic.Mode.RADIO:
        player_advance(player)
    announce(player)
    return entry


@transaction.atomic
def music_remove(*, user: User, room_id: int, entry_id: Any) -> bool:
    """Takes an entry off the queue; False if it was not there. Publishes `music:status`."""
    if not isinstance(entry_id, str) or not entry_id:
        raise BadRequest(ID_REQUIRED)
    player = player_for_control(user=user, room_id=room_id)
    entry = next((e for e in player.entries.all() if str(e.pk) == entry_id), None)
    if entry is None:
        return False
    entry.delete()
    _discard_upload(entry.upload)
    announce(player)
    return True


@transaction.atomic
def music_skip(*, user: User, room_id: int) -> None:
    """Plays the next entry (or falls back to radio); only the queue skips. Publishes
    `music:status`."""
    player = player_for_control(user=user, room_id=room_id)
    if player.mode == RoomMusic.Mode.QUEUE:
        player_advance(player)
    announce(player)


@transaction.atomic
def music_station(*, user: User, room_id: int, station_id: Any) -> None:
    """Tunes the room to a station, leaving the queue waiting. Publishes `music:status`."""
    station = (
        Station.objects.filter(slug=station_id).first() if isinstance(station_id, str) else None
    )
    if station is None:
        raise BadRequest(BAD_STATION)
    player = player_for_control(user=user, room_id=room_id)
    player.station = station
    if player.mode != RoomMusic.Mode.EXTERNAL:
        _play_radio(player)
    player.save()
    announce(player)


@transaction.atomic
def music_pause(*, user: User, room_id: int) -> bool:
    """Pauses or resumes what plays; returns whether it is paused now. Publishes
    `music:status`."""
    player = player_for_control(user=user, room_id=room_id)
    player.paused = not player.paused
    player.save(update_fields=["paused"])
    announce(player)
    return player.paused


def player_advance(player: RoomMusic) -> None:
    """Starts the next entry, or the radio when the queue is empty (the caller announces)."""
    # The finished or skipped track's file goes; the next entry (or the radio) starts unpaused.
    _discard_upload(player.current_upload)
    entry = player.entries.first()
    if entry is None:
        _play_radio(player)
    else:
        player.mode = RoomMusic.Mode.QUEUE
        player.current_url, player.current_upload = entry.url, entry.upload
        player.current_title = entry.title
        entry.delete()
        player.track += 1
        player.paused = False
    player.save()


def _play_radio(player: RoomMusic) -> None:
    _discard_upload(player.current_upload)
    player.mode = RoomMusic.Mode.RADIO
    player.current_url = player.current_upload = player.current_title = ""
    player.track += 1
    player.paused = False


def _discard_upload(name: str) -> None:
    if name:
        storage = storages[UPLOADS]
        transaction.on_commit(lambda: storage.delete(name))
