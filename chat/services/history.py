"""Reading a room's chat history: for its members only, page by page."""

from __future__ import annotations

from accounts.models import User
from chat.permissions import can_read_history
from chat.selectors import history_page
from chat.shapes import ChatHistory
from core.errors import Forbidden
from rooms.models import Room

NOT_A_MEMBER = "You must be in this room to read its messages"
DEFAULT_LIMIT = 50
MAX_LIMIT = 100


def history_read(*, user: User, room: Room, before: int | None, limit: int) -> ChatHistory:
    """Up to `limit` of the room's lines older than message `before` (else the newest), newest
    first, if `user` is in the room (a jailed user is in their jail). No side effects."""
    if not can_read_history(user, room):
        raise Forbidden(NOT_A_MEMBER)
    lines, next_before = history_page(room_id=room.pk, before=before, limit=limit)
    return ChatHistory(messages=lines, nextBefore=next_before)
