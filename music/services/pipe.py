"""The pipe: a user's own audio streamed into a room they are in (2.x's desktop client). One
streamer per room at a time, held by a lease the pipe's connection renews, so a process that
died frees the room by itself. In a room with music on, the DJ stands aside ("external" mode)
while the pipe plays."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from music.models import PipeLock, RoomMusic
from music.services.control import announce, player_advance
from rooms.selectors import room_find, user_room_id

LEASE = timedelta(seconds=15)
MAX_TITLE = 256
MAX_STREAMER = 64


class PipeRefused(Exception):
    """The handshake is refused with this HTTP status (2.x's raw replies)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def pipe_admit(*, user: User, raw_room_id: str | None) -> int:
    """The room a pipe handshake may stream into, or PipeRefused: 400 a bad roomId, 404 no such
    room, 403 not in it, 409 another user streams there."""
    if raw_room_id is None or not raw_room_id.isdigit() or len(raw_room_id) > 18:
        raise PipeRefused(400)
    room_id = int(raw_room_id)
    if room_find(room_id) is None:
        raise PipeRefused(404)
    if user_room_id(user.pk) != room_id:
        raise PipeRefused(403)
    lock = PipeLock.objects.filter(room_id=room_id, lease_until__gt=timezone.now()).first()
    if lock is not None and lock.user_id != user.pk:
        raise PipeRefused(409)
    return room_id


@transaction.atomic
def pipe_start(*, user: User, room_id: int, session_id: str, title: str) -> bool:
    """Takes the room's pipe lock for this session (the same user's older session loses it);
    False if another user holds it. With music on, the DJ yields: publishes `music:status`."""
    now = timezone.now()
    lock = PipeLock.objects.select_for_update().filter(room_id=room_id).first()
    if lock is not None and lock.lease_until > now and lock.user_id != user.pk:
        return False
    PipeLock.objects.update_or_create(
        room_id=room_id,
        defaults={
            "user": user,
            "session_id": session_id,
            "title": title[:MAX_TITLE],
            "lease_until": now + LEASE,
        },
    )
    player = RoomMusic.objects.select_for_update().filter(pk=room_id, enabled=True).first()
    if player is not None:
        player.mode = RoomMusic.Mode.EXTERNAL
        player.external_title = title[:MAX_TITLE]
        player.streamer = user.display_name[:MAX_STREAMER]
        player.external_session = session_id
        player.track += 1
        player.save()
        announce(player)
    return True


def pipe_renew(*, room_id: int, session_id: str, user_id: int) -> bool:
    """Extends the session's lease; False once another session holds the room, or once the
    streamer left it (2.x kept playing into a room its streamer had left)."""
    if user_room_id(user_id) != room_id:
        return False
    until = timezone.now() + LEASE
    renewed = PipeLock.objects.filter(room_id=room_id, session_id=session_id)
    return renewed.update(lease_until=until) == 1


def pipe_reclaim() -> None:
    """Ends the pipes whose lease ran out (their process died): the DJ plays again, and
    `music:status` says so."""
    live = PipeLock.objects.filter(lease_until__gt=timezone.now()).values("session_id")
    stale = RoomMusic.objects.filter(mode=RoomMusic.Mode.EXTERNAL).exclude(
        external_session__in=live
    )
    for room_id, session_id in stale.values_list("room_id", "external_session"):
        pipe_end(room_id=room_id, session_id=session_id)


@transaction.atomic
def pipe_end(*, room_id: int, session_id: str) -> None:
    """Frees the room if this session holds it; the DJ goes back to what it played (the queue,
    else the radio). Publishes `music:status` when the DJ had stood aside."""
    PipeLock.objects.filter(room_id=room_id, session_id=session_id).delete()
    player = (
        RoomMusic.objects.select_for_update()
        .filter(pk=room_id, mode=RoomMusic.Mode.EXTERNAL, external_session=session_id)
        .first()
    )
    if player is None:
        return
    player.streamer = player.external_title = player.external_session = ""
    player_advance(player)
    announce(player)
