"""Chat lines of a room, and the images they carry (files, kept for less time than the text)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from rooms.models import Room


class ChatImage(models.Model):
    """An uploaded image, re-encoded without metadata; its id is the 2.x `imageId`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Kept when the account goes: the image is the room's as much as the uploader's.
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chat_images",
    )
    # A file name we chose (<uuid>.<ext>) in the `chat_images` storage, never the client's.
    file_name = models.CharField(max_length=100)
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.id} ({self.content_type}, {self.size} bytes)"


class ChatMessage(models.Model):
    """One line of chat in a room: text, an image, or both. Deleting keeps a tombstone (who
    deleted it and when) with the text and image gone."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="chat_messages")
    # A deleted account's lines stay, shown under a placeholder name.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chat_messages",
    )
    text = models.TextField(blank=True, default="")
    image = models.ForeignKey(
        ChatImage, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    # Whether it ever carried an image, so one whose image expired can say so.
    had_image = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        indexes = [
            # A room's history, newest first, page by page (`id < before`): the only read of
            # lines that users make, so it never scans the table.
            models.Index(
                fields=["room", "id"],
                name="chat_message_room_live",
                condition=Q(deleted_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} in {self.room_id}"
