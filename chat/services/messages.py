"""Chat lines: sending one to your room (2.x's checks, in 2.x's order) and deleting one."""

from __future__ import annotations

import math
import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.selectors import user_ref
from chat.models import ChatImage, ChatMessage
from chat.permissions import can_delete_message
from chat.ratelimit import chat_send_allowance
from chat.selectors import epoch_ms, image_attachable
from chat.services.images import image_discard
from core.errors import BadRequest, Forbidden, NotFound, TooManyRequests
from core.parsing import js_trim, utf16_len
from core.retry import retry_transaction
from realtime.events import ChatActivity, ChatMessageDeleted, ChatMessageSent
from realtime.publish import Everyone, publish
from rooms.models import Membership
from rooms.selectors import room_audience

MAX_LENGTH = 200
EMPTY = "Message must contain text or an image"
TOO_LONG = "Message too long (max 200 characters)"
SLOW_DOWN = "Slow down — too many messages"
NO_ROOM = "You must be in a room to send messages"
NOT_FOUND = "Message not found"
NOT_YOURS = "Only the author, the room's creator or staff can delete this message"
# Neither database stores these: NUL (PostgreSQL text) and lone surrogates (not UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _line(text: Any) -> str | None:
    # 2.x: a string whose trimmed form is not empty, sent trimmed.
    if not isinstance(text, str):
        return None
    trimmed = js_trim(text)
    return _UNSTORABLE.sub("\ufffd", trimmed) if trimmed else None


def message_send(*, user: User, text: Any, image_id: Any) -> ChatMessage:
    """Sends a line (text, an image uploaded within 60 s, or both) to the sender's room.
    Refuses, in 2.x's order: nothing to send, text too long, too fast (only accepted sends
    count, and one refused for want of a room has counted), no room. Publishes `chat:message`
    to the room's members and `chat:activity` to everyone."""
    line = _line(text)
    image = image_attachable(raw_id=image_id, uploader_id=user.pk) if image_id else None
    if line is None and image is None:
        raise BadRequest(EMPTY)
    if line is not None and utf16_len(line) > MAX_LENGTH:
        raise BadRequest(TOO_LONG)
    verdict = chat_send_allowance(user_id=user.pk)
    if not verdict.allowed:
        wait = str(math.ceil(verdict.retry_after_ms / 1000))
        raise TooManyRequests(SLOW_DOWN, headers={"Retry-After": wait})
    return _post(user=user, text=line or "", image=image)


# Retried (core.retry): the line's foreign key shares the room's row after the membership is
# locked, against the order of rooms.services.locks, and a deletion of the room takes them the
# other way round; PostgreSQL breaks that deadlock.
@retry_transaction
@transaction.atomic
def _post(*, user: User, text: str, image: ChatImage | None) -> ChatMessage:
    # The membership row is locked so the room cannot be left or deleted under the line, and
    # the audience is who is in the room now: whispers or not, nobody outside it reads it.
    room_id = (
        Membership.objects.select_for_update()
        .filter(user_id=user.pk)
        .values_list("room_id", flat=True)
        .first()
    )
    if room_id is None:
        raise BadRequest(NO_ROOM)
    message = ChatMessage.objects.create(
        room_id=room_id, author=user, text=text, image=image, had_image=image is not None
    )
    sent = ChatMessageSent(
        user=user_ref(user),
        text=text or None,
        imageId=None if image is None else str(image.pk),
        ts=epoch_ms(message.created_at),
        id=message.pk,
        roomId=room_id,
    )
    publish(sent, to=room_audience(room_id))
    publish(ChatActivity(roomId=room_id, id=message.pk), to=Everyone())
    return message


@transaction.atomic
def message_delete(*, message_id: int, actor: User) -> None:
    """Deletes a line (its author, the room's creator, or staff): its text and image are gone at
    once, a tombstone says who deleted it when. Publishes `chat:deleted` to the room's members."""
    message = (
        ChatMessage.objects.select_for_update(of=("self",))
        .select_related("room", "image")
        .filter(pk=message_id, deleted_at__isnull=True)
        .first()
    )
    if message is None:
        raise NotFound(NOT_FOUND)
    if not can_delete_message(actor, message):
        raise Forbidden(NOT_YOURS)
    image = message.image
    message.deleted_at = timezone.now()
    message.deleted_by = actor
    message.text = ""
    message.image = None
    message.save(update_fields=["deleted_at", "deleted_by", "text", "image"])
    if image is not None and not image.messages.filter(deleted_at__isnull=True).exists():
        image_discard(image)
    publish(
        ChatMessageDeleted(id=message.pk, roomId=message.room_id),
        to=room_audience(message.room_id),
    )
