"""Retention: chat lines and images older than their settings are deleted by the scheduler."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from chat.models import ChatImage, ChatMessage
from chat.selectors import ATTACH_WINDOW
from chat.services.images import image_storage

logger = logging.getLogger(__name__)
BATCH = 500
_next_run = 0.0


def chat_purge(*, now: datetime) -> tuple[int, int]:
    """Deletes lines older than CHAT_TEXT_RETENTION, and images older than CHAT_IMAGE_RETENTION
    or never attached within 60 s of their upload (their files after commit). Publishes
    nothing: pages drop what they no longer load. Returns (lines, images) deleted."""
    images = 0
    while True:
        removed = _purge_images(now=now)
        images += removed
        if removed < BATCH:
            break
    lines, _ = ChatMessage.objects.filter(
        created_at__lte=now - settings.CHAT_TEXT_RETENTION
    ).delete()
    return lines, images


@transaction.atomic
def _purge_images(*, now: datetime) -> int:
    expired = Q(created_at__lte=now - settings.CHAT_IMAGE_RETENTION)
    abandoned = Q(created_at__lte=now - ATTACH_WINDOW, messages__isnull=True)
    rows = list(
        ChatImage.objects.filter(expired | abandoned)
        .distinct()
        .values_list("pk", "file_name")[:BATCH]
    )
    if not rows:
        return 0
    ChatImage.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    names = [name for _, name in rows]
    transaction.on_commit(lambda: _delete_files(names))
    return len(rows)


def _delete_files(names: list[str]) -> None:
    storage = image_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            # Another process's purge may have raced us to it; the row is gone either way.
            logger.warning("Could not delete chat image file %s", name, exc_info=True)


def chat_purge_due(*, now: datetime) -> None:
    """Scheduler job: runs `chat_purge` at most once per CHAT_PURGE_INTERVAL_SECONDS per
    process (retention is counted in hours and days, not ticks)."""
    global _next_run
    if now.timestamp() < _next_run:
        return
    _next_run = now.timestamp() + settings.CHAT_PURGE_INTERVAL_SECONDS
    chat_purge(now=now)
