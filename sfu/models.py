"""Room-service calls still owed to LiveKit: the outbox's rows."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class LiveKitAction(models.Model):
    """A room-service call still owed to LiveKit; retried by the scheduler until LiveKit takes
    it. Each row carries everything the call needs, so no other app is consulted to make it."""

    class Kind(models.TextChoices):
        REMOVE_PARTICIPANT = "remove_participant"
        SYNC_SUBSCRIPTIONS = "sync_subscriptions"
        UPDATE_METADATA = "update_metadata"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    room_name = models.CharField(max_length=80)
    # The participant's identity (a username); empty for a room-wide subscription sync.
    identity = models.CharField(max_length=32, blank=True, default="")
    # A removal owed only until then (the end of a jail), retried until then; else a few times.
    until = models.DateTimeField(null=True, blank=True)
    # A sync's whispers chain (identities in order); empty restores everyone hearing everyone.
    chain = models.JSONField(default=list, blank=True)
    # A metadata update's new metadata (JSON text; empty clears it).
    metadata = models.TextField(blank=True, default="")
    # Bumped when a newer chain replaces an owed one, so a pass made with the older one does
    # not count as done.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # When the next attempt is due; an attempt pushes it forward first, which is its lease.
    due_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    done = models.BooleanField(default=False)
    last_error = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        verbose_name = "LiveKit call"
        verbose_name_plural = "LiveKit calls"
        indexes = [models.Index(fields=["done", "due_at"], name="sfu_action_done_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["room_name"],
                condition=Q(kind="sync_subscriptions", done=False),
                name="sfu_one_owed_sync_per_room",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.identity or '*'} in {self.room_name}"
