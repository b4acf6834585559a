"""Reads of chat: a room's history page by page, a line as the wire shows it, and which images
may still be served or attached."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.selectors import user_ref

from .models import ChatImage, ChatMessage
from .shapes import ChatLine

# 2.x kept an upload for 60 s; within that an image may be attached to a message.
ATTACH_WINDOW = timedelta(seconds=60)


def epoch_ms(value: datetime) -> int:
    """A timestamp as 2.x's `ts`: milliseconds since the epoch."""
    return int(value.timestamp() * 1000)


def chat_line(message: ChatMessage) -> ChatLine:
    """A history line (its `author` joined in): null `user` for a deleted account."""
    line: ChatLine = {
        "id": message.pk,
        "roomId": message.room_id,
        "user": None if message.author is None else user_ref(message.author),
        "ts": epoch_ms(message.created_at),
    }
    if message.text:
        line["text"] = message.text
    if message.image_id is not None:
        line["imageId"] = str(message.image_id)
    elif message.had_image:
        line["imageExpired"] = True
    return line


def history_query(*, room_id: int, before: int | None, limit: int) -> QuerySet[ChatMessage]:
    """A room's live lines older than `before`, newest first: a range of the
    `chat_message_room_live` index, whatever the table holds."""
    lines = ChatMessage.objects.filter(room_id=room_id, deleted_at__isnull=True)
    if before is not None:
        lines = lines.filter(id__lt=before)
    return lines.select_related("author").order_by("-id")[:limit]


def history_page(
    *, room_id: int, before: int | None, limit: int
) -> tuple[list[ChatLine], int | None]:
    """Up to `limit` lines of a room, newest first, and the `before` of the page after them
    (None when none is older)."""
    found = list(history_query(room_id=room_id, before=before, limit=limit + 1))
    page = found[:limit]
    more = len(found) > limit
    return [chat_line(message) for message in page], (page[-1].pk if more else None)


def _uuid(raw: object) -> uuid.UUID | None:
    if not isinstance(raw, str):
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def image_attachable(
    *, raw_id: object, uploader_id: int, now: datetime | None = None
) -> ChatImage | None:
    """The uploader's own image with this id if it may still go into a message (2.x's "still in
    the store": uploaded within the last 60 s), else None."""
    image_id = _uuid(raw_id)
    if image_id is None:
        return None
    since = (now or timezone.now()) - ATTACH_WINDOW
    return ChatImage.objects.filter(
        pk=image_id, uploader_id=uploader_id, created_at__gt=since
    ).first()


def image_servable(raw_id: str) -> ChatImage | None:
    """The image with this id if it may be served: within its retention, and either in a live
    message or just uploaded (2.x served an upload for its 60 s)."""
    image_id = _uuid(raw_id)
    if image_id is None:
        return None
    now = timezone.now()
    in_use = Q(messages__deleted_at__isnull=True, messages__isnull=False)
    fresh = Q(created_at__gt=now - ATTACH_WINDOW)
    return (
        ChatImage.objects.filter(pk=image_id, created_at__gt=now - settings.CHAT_IMAGE_RETENTION)
        .filter(in_use | fresh)
        .first()
    )


def images_pending(*, uploader_id: int | None = None) -> int:
    """Uploads still waiting to be attached (within 60 s, in no message): 2.x's image store."""
    waiting = ChatImage.objects.filter(
        created_at__gt=timezone.now() - ATTACH_WINDOW, messages__isnull=True
    )
    if uploader_id is not None:
        waiting = waiting.filter(uploader_id=uploader_id)
    return waiting.count()
