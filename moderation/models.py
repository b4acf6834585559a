"""Votes to jail someone, their ballots, and the punishments they produce.

Every deadline (a vote's window, a punishment's end) is a column here, so the
scheduler in any process can claim it with a conditional write, and nothing is lost on restart.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from rooms.models import Room

T = TypeVar("T")

VOTE_WINDOW_SECONDS = 30


def _present(value: T | None, what: str) -> T:
    # Deleting a room ends its votes and punishments first: only history loses its rooms.
    if value is None:
        raise LookupError(f"{what} was deleted; only ended records outlive their rooms")
    return value


PUNISHMENT_DURATIONS = (60, 300, 900, 1800)
# The target and at least two others who can vote: the page offers votes only from here on.
VOTE_MIN_PEOPLE = 3


class Vote(models.Model):
    """A 30-second vote in a room on jailing one member; at most one unresolved per room."""

    # A deleted room's votes stay, for the record, under the room's name.
    source_room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="votes"
    )
    source_room_name = models.CharField(max_length=80, blank=True, default="")
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
        return f"Vote {self.pk} on {self.target_id} in {self.source_room_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The room's name is copied once, so the record still names it after it is deleted.
        if not self.source_room_name and self.source_room is not None:
            self.source_room_name = self.source_room.name
        super().save(*args, **kwargs)

    @property
    def room_pk(self) -> int:
        """The room of a vote in progress (or being resolved), which always has one."""
        return _present(self.source_room_id, "The vote's room")


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
    # A deleted room's punishments stay, for the record, under the rooms' names.
    source_room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="punishments_from"
    )
    source_room_name = models.CharField("source room", max_length=80, blank=True, default="")
    jail_room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="punishments_in"
    )
    jail_room_name = models.CharField("jail", max_length=80, blank=True, default="")
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
        return f"Punishment {self.pk}: {self.target_id} from {self.source_room_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The rooms' names are copied once, so the record still names them after they go.
        if not self.source_room_name and self.source_room is not None:
            self.source_room_name = self.source_room.name
        if not self.jail_room_name and self.jail_room is not None:
            self.jail_room_name = self.jail_room.name
        super().save(*args, **kwargs)

    @property
    def source_pk(self) -> int:
        """The id of the room a punishment in force is from."""
        return _present(self.source_room_id, "The punishment's room")

    @property
    def jail_pk(self) -> int:
        """The id of the jail of a punishment in force."""
        return _present(self.jail_room_id, "The punishment's jail")

    @property
    def source(self) -> Room:
        """The room a punishment in force is from, which always exists."""
        return _present(self.source_room, "The punishment's room")

    @property
    def jail(self) -> Room:
        """The jail of a punishment in force, which always exists."""
        return _present(self.jail_room, "The punishment's jail")


class ModeratedRoom(Room):
    """Rooms as staff moderate them in the admin: whispers chain, creator, LiveKit removal."""

    class Meta:
        proxy = True
        # Read in counts too ("2 moderated rooms").
        verbose_name = "moderated room"
        verbose_name_plural = "moderated rooms"
