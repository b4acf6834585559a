"""Soundboard clips: the audio is a file in the `soundboard` storage, the row its metadata."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone


class Clip(models.Model):
    """A short sound anyone may play into their room; kept normalised (Ogg Opus, mono)."""

    # At most 64 UTF-16 units, as 2.x counts (so at most 64 characters).
    name = models.CharField(max_length=64)
    # A file name we chose (<uuid>.ogg) in the `soundboard` storage, never the client's.
    file_name = models.CharField(max_length=100)
    mime_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    duration_ms = models.PositiveIntegerField()
    # A deleted account's clips go with it (2.x listed clips through an inner join on users).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="soundboard_clips"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["uploaded_by", "size"], name="soundboard_clip_quota")]

    def __str__(self) -> str:
        return self.name


@receiver(post_delete, sender=Clip)
def _clip_file_delete(sender: type[Clip], instance: Clip, **kwargs: Any) -> None:
    # However a row goes (the API, the admin, a cascade from a deleted account), its file goes
    # too, once the deletion is committed: a rolled-back delete keeps a playable clip.
    name = instance.file_name
    transaction.on_commit(lambda: storages["soundboard"].delete(name), robust=True)
