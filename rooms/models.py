"""Rooms, who is in them, and the whispers chain."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

# The room the first migration makes, where newcomers land ("no lurkers"): nobody deletes it.
GENERAL = "General"


class Room(models.Model):
    """A voice/video room; its `name` is also its LiveKit room name."""

    class Type(models.TextChoices):
        VOICE = "voice"
        VIDEO = "video"

    class Mode(models.TextChoices):
        NORMAL = "normal"
        WHISPERS = "whispers"

    # Case-sensitive unique, as 1.x (BINARY collation); jail names are "Jail: " + up to 64.
    name = models.CharField(max_length=80, unique=True)
    type = models.CharField(max_length=5, choices=Type.choices, default=Type.VOICE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_rooms",
    )
    created_at = models.DateTimeField(default=timezone.now)
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.NORMAL)
    is_jail = models.BooleanField(default=False)
    jail_source = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="jails"
    )

    class Meta:
        indexes = [models.Index(fields=["is_jail"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_general(self) -> bool:
        """Whether this is General, where newcomers land."""
        return self.name == GENERAL and not self.is_jail


class Membership(models.Model):
    """The room a user is in right now: at most one per user, from join until leave."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id} in {self.room_id}"


class WhisperLink(models.Model):
    """One place in a whispers room's chain; each member hears only the one before them."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="whisper_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="whisper_links"
    )
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["room", "position"]
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="whisper_link_room_user"),
            models.UniqueConstraint(fields=["room", "position"], name="whisper_link_room_position"),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}#{self.position}: {self.user_id}"
