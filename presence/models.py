"""Who is connected, from which process, and who counts as online: shared by every process."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ServerProcess(models.Model):
    """One running app process. When it stops heart-beating, its connections are reaped."""

    id = models.CharField(primary_key=True, max_length=32)
    # Where it listens (host name and port). Only one process can listen there at a time, so
    # a process that starts on the seat of another has replaced it (a restart after a crash).
    seat = models.CharField(max_length=200, blank=True, default="", db_index=True)
    started_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "server process"
        verbose_name_plural = "server processes"

    def __str__(self) -> str:
        return self.id


class Connection(models.Model):
    """One open realtime connection (WebSocket or 1.x SSE stream) of a user, held by a process."""

    class Transport(models.TextChoices):
        WEBSOCKET = "ws"
        SSE = "sse"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connections"
    )
    process = models.ForeignKey(ServerProcess, on_delete=models.CASCADE, related_name="connections")
    transport = models.CharField(max_length=3, choices=Transport.choices)
    opened_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.transport} {self.user_id}@{self.process_id}"


class Presence(models.Model):
    """Whether a user counts as online. `offline_due_at` is set while the user has no
    connection: when it passes, the user goes offline and leaves their room. `pinged_at` is the
    client's last heartbeat (2.x's `POST /api/events/ping`), which decides how long that is."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="presence",
    )
    online = models.BooleanField(default=False)
    offline_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    pinged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "presence"
        verbose_name_plural = "presence"

    def __str__(self) -> str:
        return f"{self.user_id} {'online' if self.online else 'offline'}"
