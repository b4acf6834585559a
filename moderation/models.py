"""Votes to jail someone, their ballots, and the punishments they produce.

Every deadline (a vote's window, a punishment's end) is a column here, so the
scheduler in any process can claim it with a conditional write, and nothing is lost on restart.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from rooms.models import Room

VOTE_WINDOW_SECONDS = 30
PUNISHMENT_DURATIONS = (60, 300, 900, 1800)
# The target and at least two others who can vote: the page offers votes only from here on.
VOTE_MIN_PEOPLE = 3


class Vote(models.Model):
    """A 30-second vote in a room on jailing one member; at most one unresolved per room."""

    source_room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="votes")
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes_against"
    )
    initiated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes_started"
    )
    # The length of the punishment if the vote passes, not of the voting window.
    duration_secs = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    resolved = models.BooleanField(default=False)
    passed = models.BooleanField(default=False)
    # Who could vote when it started (1.x kept only the count, so late joiners could vote).
    eligible_user_ids = models.JSONField(default=list)
    eligible_count = models.PositiveIntegerField()
    yes_count = models.PositiveIntegerField(default=0)
    no_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_room"],
                condition=Q(resolved=False),
                name="vote_one_unresolved_per_room",
            ),
        ]
        indexes = [models.Index(fields=["resolved", "expires_at"])]

    def __str__(self) -> str:
        return f"Vote {self.pk} on {self.target_id} in {self.source_room_id}"


class Ballot(models.Model):
    """One voter's yes or no on a vote; one per voter."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ballots"
    )
    vote_yes = models.BooleanField()
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "user"], name="ballot_one_per_voter"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {'yes' if self.vote_yes else 'no'} on {self.vote_id}"


class Punishment(models.Model):
    """A user jailed from a room until `expires_at`, unless lifted earlier."""

    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="punishments"
    )
    source_room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="punishments_from")
    jail_room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="punishments_in")
    vote = models.OneToOneField(
        Vote, null=True, blank=True, on_delete=models.SET_NULL, related_name="punishment"
    )
    duration_secs = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    active = models.BooleanField(default=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="punishments_lifted",
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["active", "expires_at"]),
            models.Index(fields=["target", "active"]),
        ]

    def __str__(self) -> str:
        return f"Punishment {self.pk}: {self.target_id} from {self.source_room_id}"


class ModeratedRoom(Room):
    """Rooms as staff moderate them in the admin: whispers chain, creator, LiveKit removal."""

    class Meta:
        proxy = True
        verbose_name = "room moderation"
        verbose_name_plural = "room moderation"
