"""Reads of chat: a room's history page by page, a line as the wire shows it, and which images
may still be served or attached."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
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
    if connection.vendor == "postgresql":
        # `room_id = X ORDER BY id` lets PostgreSQL walk the primary key backwards and filter
        # by room, which it prices low for a busy room and which reads every newer line of
        # every room when that room went quiet long ago. The same condition as a range,
        # ordered by the index's own columns, is an order only the room's index gives.
        lines = ChatMessage.objects.filter(room_id__gte=room_id, room_id__lte=room_id)
    else:
        # SQLite seeks (room_id = ? AND id < ?) in the index, which a range would not allow.
        lines = ChatMessage.objects.filter(room_id=room_id)
    lines = lines.filter(deleted_at__isnull=True)
    if before is not None:
        lines = lines.filter(id__lt=before)
    # The line and its author's three wire fields: not the password hash and the rest.
    wanted = ("room_id", "text", "image_id", "had_image", "created_at")
    author = ("author__id", "author__username", "author__display_name")
    ordered = lines.select_related("author").only(*wanted, *author).order_by("-room_id", "-id")
    return ordered[:limit]


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
