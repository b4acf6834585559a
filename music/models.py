"""DJ Tokoloshe's state: the stations an admin keeps, each room's player, its queue, and the
pipe lock. The web processes answer `/api/music/*` from these rows; `run_dj` plays what they
say, so nothing lives in a process's memory."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from rooms.models import Room


class Station(models.Model):
    """A radio stream the bot can play; `slug` is the wire id (`stationId`)."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100)
    genre = models.CharField(max_length=60, blank=True)
    url = models.CharField(max_length=2048, help_text="An HTTP(S) stream or a file path.")
    position = models.PositiveIntegerField(default=0, help_text="Order in the station list.")

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name


class RoomMusic(models.Model):
    """A room's player: on when its creator enables music, and what the bot should play.

    `track` counts changes of what plays (a skip, a station, the next entry); the bot restarts
    its decoder when it moves, and reports a finished track by the number it played, so a skip
    racing with a natural end advances once."""

    class Mode(models.TextChoices):
        RADIO = "radio"
        QUEUE = "queue"
        EXTERNAL = "external"

    room = models.OneToOneField(
        Room, on_delete=models.CASCADE, primary_key=True, related_name="music"
    )
    enabled = models.BooleanField(default=False)
    locked = models.BooleanField(default=False, help_text="Only the creator may control it.")
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.RADIO)
    paused = models.BooleanField(default=False)
    station = models.ForeignKey(Station, null=True, blank=True, on_delete=models.SET_NULL)
    track = models.PositiveBigIntegerField(default=0)
    # What plays in queue mode: the entry taken off the queue when it started.
    current_url = models.CharField(max_length=2048, blank=True)
    current_title = models.CharField(max_length=256, blank=True)
    current_upload = models.CharField(max_length=255, blank=True)
    # Set by the bot while it cannot play here (it never plays unencrypted).
    bot_error = models.CharField(max_length=300, blank=True)
    # External mode (a pipe into this room): what it says and who streams it.
    streamer = models.CharField(max_length=64, blank=True)
    external_title = models.CharField(max_length=256, blank=True)
    external_session = models.CharField(max_length=36, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "room music"

    def __str__(self) -> str:
        return f"Music in {self.room_id}"


class QueueEntry(models.Model):
    """A URL or an uploaded file waiting its turn in a room's queue."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    player = models.ForeignKey(RoomMusic, on_delete=models.CASCADE, related_name="entries")
    url = models.CharField(max_length=2048, blank=True)
    upload = models.CharField(max_length=255, blank=True, help_text="Stored file name.")
    title = models.CharField(max_length=256)
    added_by = models.CharField(max_length=64)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.title


class PipeLock(models.Model):
    """Who pipes audio into a room right now: one per room, held by a lease the pipe's
    connection renews, so a process that died frees it by itself."""

    room = models.OneToOneField(Room, on_delete=models.CASCADE, primary_key=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_id = models.CharField(max_length=36)
    title = models.CharField(max_length=256, blank=True)
    lease_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"Pipe into {self.room_id}"
