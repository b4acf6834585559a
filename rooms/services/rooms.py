"""Creating and deleting rooms, with 1.x's rules, messages and events."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils.module_loading import import_string

from accounts.models import User
from accounts.selectors import actor_ref, user_lock
from audit.services import Kind, audit_record
from core.errors import BadRequest, Conflict, Forbidden, NotFound
from core.parsing import JS_WHITESPACE, js_trim, utf16_len
from core.rates import rate_hit
from core.retry import retry_transaction
from realtime.events import RoomCreated, RoomDeleted
from realtime.publish import Everyone, publish
from rooms.models import Membership, Room
from rooms.permissions import can_delete_room
from rooms.selectors import room_row
from rooms.services import locks
from rooms.services.membership import membership_end

MAX_ROOMS = 100
TOO_MANY = "You have as many rooms as one account may have; delete one to create another"
TOO_FAST = "You are creating rooms too quickly, please try again later"
GENERAL_KEPT = "General cannot be deleted: it is where newcomers land"
ROOM_NAME_MAX = 64
# ASCII as 1.x allowed it (/^[\w\s\-!@#&()]+$/u): letters, digits, _, JavaScript's whitespace
# set and - ! @ # & ( ). No ':' (nor any other punctuation), so no user room can pose as
# "Jail: ...". Beyond ASCII, what people name things with: letters and numbers of any script,
# with their accents, and emoji (symbols, their modifiers, joiners and flag tags).
_ROOM_NAME_ASCII = re.compile("[A-Za-z0-9_" + re.escape(JS_WHITESPACE) + r"\-!@#&()]")
_ROOM_NAME_CATEGORIES = ("L", "M", "N", "So", "Sk")
_EMOJI_JOINER = "\u200d"
_EMOJI_TAGS = range(0xE0020, 0xE0080)
ROOM_NAME_ALLOWED = "letters, numbers, spaces, emoji and - ! @ # & ( )"


def _room_name_char(char: str) -> bool:
    if char.isascii() or char in JS_WHITESPACE:
        return _ROOM_NAME_ASCII.fullmatch(char) is not None
    if char == _EMOJI_JOINER or ord(char) in _EMOJI_TAGS:
        return True
    return unicodedata.category(char).startswith(_ROOM_NAME_CATEGORIES)


def _room_name(raw: Any) -> str:
    if not isinstance(raw, str) or not js_trim(raw):
        raise BadRequest("Room name is required")
    name = js_trim(raw)
    if utf16_len(name) > ROOM_NAME_MAX:
        raise BadRequest("Room name must be 64 characters or less")
    if not all(_room_name_char(char) for char in name):
        # 1.x's message, kept for its clients; the page says what is allowed beside the field.
        raise BadRequest("Room name contains invalid characters")
    return name


@transaction.atomic
def room_create(*, user: User | None, name: Any, type: Any = None) -> Room:
    """Creates a room owned by `user` (None: an operator's room, which only staff may delete)
    after 1.x's checks (name rules, 100-room cap, unique name) and the per-account limits
    (ROOMS_PER_USER, ROOM_CREATE_RATE; not for staff). Publishes `room:created`."""
    clean_name = _room_name(name)
    limited = user if user is not None and not user.is_staff else None
    if limited is not None:
        _owned_rooms_check(limited)
    if Room.objects.filter(is_jail=False).count() >= MAX_ROOMS:
        raise BadRequest("Maximum number of rooms reached")
    if Room.objects.filter(name=clean_name).exists():
        raise Conflict("A room with that name already exists")
    if limited is not None:
        # Counted only for a room about to be made: a mistyped name costs nothing.
        rate_hit(
            group="rooms.create", key=limited.pk, rate=settings.ROOM_CREATE_RATE, message=TOO_FAST
        )
    try:
        with transaction.atomic():
            room = Room.objects.create(
                name=clean_name,
                # 1.x: exactly "video" makes a video room; anything else silently means voice.
                type=Room.Type.VIDEO if type == "video" else Room.Type.VOICE,
                created_by=user,
            )
    except IntegrityError as exc:
        raise Conflict("A room with that name already exists") from exc
    publish(RoomCreated(room=room_row(room)), to=Everyone())
    return room


def _owned_rooms_check(user: User) -> None:
    # One account must not be able to fill the server-wide cap by itself. The user's row is
    # locked (PostgreSQL) so that two creations at once cannot both pass the count.
    limit = settings.ROOMS_PER_USER
    if limit <= 0:
        return
    user_lock(user.pk)
    if Room.objects.filter(created_by=user, is_jail=False).count() >= limit:
        raise BadRequest(TOO_MANY)


@retry_transaction
@transaction.atomic
def room_delete(*, room: Room, user: User) -> None:
    """Deletes a room (its creator or staff; General never) with its jail rooms, after the
    ROOM_DELETE_STEPS (its votes fail, its punishments are lifted: their events) and moving
    everyone in them out; its moderation history stays, under its name, and the deletion is
    audited. Publishes `user:room_leave` for each member, then `room:deleted` (naming who
    deleted it) for each room."""
    # Step 1 of rooms.services.locks: the room and its jails FOR UPDATE, in id order, so every
    # membership change into or out of them has ended and none starts until this commits.
    family = Room.objects.filter(Q(pk=room.pk) | Q(jail_source_id=room.pk)).values_list(
        "pk", flat=True
    )
    if room.pk not in {r.pk for r in locks.rooms_lock(family)}:
        raise NotFound("Room not found")
    room = Room.objects.get(pk=room.pk)
    if not can_delete_room(user, room):
        raise Forbidden("Only the room creator can delete this room")
    if room.is_general:
        # Asked after the 1.x check, so whoever 1.x refused is refused in 1.x's words.
        raise Forbidden(GENERAL_KEPT)
    doomed = [*Room.objects.filter(jail_source=room).order_by("pk"), room]
    rows = [room_row(r) for r in doomed]
    for step in settings.ROOM_DELETE_STEPS:
        import_string(step)(room_ids=[r.pk for r in doomed], actor=user)
    audit_record(
        kind=Kind.ROOM_DELETED,
        actor=user,
        room_id=room.pk,
        room_name=room.name,
        # Deleting is the creator's right; anyone else needed staff power.
        override=room.created_by_id != user.pk,
    )
    members = Membership.objects.filter(room__in=doomed).select_related("user").order_by("pk")
    for membership in members:
        membership_end(user=membership.user)
    try:
        with transaction.atomic():
            room.delete()
    except (ProtectedError, RestrictedError) as exc:
        # Every reference to a room is declared to go with it; a new one that is not must
        # refuse cleanly rather than fail the request.
        raise Conflict("This room cannot be deleted") from exc
    for row in rows:
        publish(RoomDeleted(room=row, deletedBy=actor_ref(user)), to=Everyone())
