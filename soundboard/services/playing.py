"""Playing a clip: the sound goes through the player's own LiveKit track; the server tells the
player's room who plays what, for how long."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.db import transaction

from accounts.models import User
from accounts.selectors import user_ref
from core.errors import NotFound
from core.rates import rate_hit
from realtime.events import SoundboardPlaying
from realtime.publish import publish
from rooms.selectors import room_audience, user_room_id
from soundboard.models import Clip

from .clips import NOT_FOUND

SLOW_PLAYS = "Slow down — too many clips played"


def clip_play(*, clip_id: int, user: User, duration_ms: Any) -> None:
    """Announces that `user` plays a clip, to the members of their room only (a jailed user is
    in their jail, so only the jail hears it); nothing when they are in no room. Refuses an
    unknown clip, then plays past SOUNDBOARD_PLAY_RATE. Publishes `soundboard:playing`."""
    clip = Clip.objects.filter(pk=clip_id).only("name", "duration_ms").first()
    if clip is None:
        raise NotFound(NOT_FOUND)
    rate_hit(
        group="soundboard-play", key=user.pk, rate=settings.SOUNDBOARD_PLAY_RATE, message=SLOW_PLAYS
    )
    with transaction.atomic():
        room_id = user_room_id(user.pk)
        if room_id is None:
            return
        playing = SoundboardPlaying(
            user=user_ref(user),
            clipName=clip.name,
            durationMs=_duration(duration_ms, clip.duration_ms),
            clipId=clip.pk,
            roomId=room_id,
        )
        publish(playing, to=room_audience(room_id))


def _duration(raw: Any, clip_ms: int) -> int:
    # 2.x took any number (10000 when not one) and showed it; the server knows the clip's
    # length, so a client can shorten the indicator (it stopped early) but never stretch it.
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        return clip_ms
    shown: int = round(raw)
    return max(0, min(shown, clip_ms))
