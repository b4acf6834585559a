"""The moderation audit log: one row per moderation action, written by the service that acts,
in its transaction, so the log holds exactly what happened. Names are copied onto each row, so
it still reads right once a person or a room is gone."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """A moderation action: its kind, who did it, to whom, in which room, and when."""

    class Kind(models.TextChoices):
        VOTE_STARTED = "vote_started", "Vote started"
        BALLOT_CAST = "ballot_cast", "Ballot cast"
        VOTE_RESOLVED = "vote_resolved", "Vote resolved"
        VOTE_CANCELLED = "vote_cancelled", "Vote cancelled"
        JAILED = "jailed", "Jailed"
        PUNISHMENT_LIFTED = "punishment_lifted", "Punishment lifted"
        PUNISHMENT_EXPIRED = "punishment_expired", "Punishment expired"
        WHISPERS_ON = "whispers_on", "Whispers turned on"
        WHISPERS_OFF = "whispers_off", "Whispers turned off"
        WHISPERS_RESET = "whispers_reset", "Whispers reset"
        ROOM_DELETED = "room_deleted", "Room deleted"
        ROOM_CREATOR_SET = "room_creator_set", "Room creator set"
        LIVEKIT_REMOVAL = "livekit_removal", "Removed from LiveKit"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # Done by staff power (an admin override), not by the rules every member has.
    override = models.BooleanField(default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_acts",
    )
    actor_name = models.CharField(max_length=32, blank=True, default="")
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_targeted",
    )
    target_name = models.CharField(max_length=32, blank=True, default="")
    room = models.ForeignKey(
        "rooms.Room", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    room_name = models.CharField(max_length=80, blank=True, default="")
    detail = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor_name or 'the server'}"
