"""Reads of rooms and memberships shared by services and interfaces."""

from __future__ import annotations

from typing import cast

from core import db
from core.parsing import MAX_DB_ID
from core.timefmt import sql_ts
from realtime.payloads import ChainEntry, RoomModeName, RoomRef, RoomRow, RoomType, UserRef
from realtime.publish import Users

from .models import Membership, Room, WhisperLink
from .shapes import JoinRoom


def room_ref(room: Room) -> RoomRef:
    """The 1.x room reference `{id, name, type}` of a jail connection."""
    return {"id": room.pk, "name": room.name, "type": _room_type(room)}


def join_room(room: Room) -> JoinRoom:
    """The `room` of the 1.x join body."""
    return {
        **room_ref(room),
        "mode": _room_mode(room),
        "is_jail": int(room.is_jail),
        "created_by": room.created_by_id,
    }


def room_row(room: Room) -> RoomRow:
    """Every 1.x `rooms` column, with `is_jail` as 0/1 as 1.x clients test it."""
    return {
        **room_ref(room),
        "created_by": room.created_by_id,
        "created_at": sql_ts(room.created_at) or "",
        "mode": _room_mode(room),
        "is_jail": int(room.is_jail),
        "jail_source_room_id": room.jail_source_id,
    }


# The columns' choices are exactly these values; Django types them as plain strings.
def _room_type(room: Room) -> RoomType:
    return cast("RoomType", room.type)


def _room_mode(room: Room) -> RoomModeName:
    return cast("RoomModeName", room.mode)


# Asked for by every event addressed to a room, and by every ballot: fixed statements.
_MEMBER_IDS = db.sql(
    "SELECT {user} FROM {memberships} WHERE {room} = %s ORDER BY {joined_at}, {id}",
    user=db.column(Membership, "user_id"),
    memberships=db.table(Membership),
    room=db.column(Membership, "room_id"),
    joined_at=db.column(Membership, "joined_at"),
    id=db.column(Membership, "id"),
)
_ROOM_OF = db.sql(
    "SELECT {room} FROM {memberships} WHERE {user} = %s",
    room=db.column(Membership, "room_id"),
    memberships=db.table(Membership),
    user=db.column(Membership, "user_id"),
)


def room_member_ids(room_id: int) -> list[int]:
    """User ids of a room's members, in the order they joined."""
    return [row[0] for row in db.select_all(_MEMBER_IDS, [room_id])]


def room_audience(room_id: int) -> Users:
    """Who hears an event about a room: its members at this moment, so call it inside the
    transaction that makes the event (after commit they may have moved on)."""
    return Users.of(room_member_ids(room_id))


def user_room_id(user_id: int) -> int | None:
    """The room a user is in right now, if any."""
    row = db.select_one(_ROOM_OF, [user_id])
    return None if row is None else int(row[0])


def whisper_chain(room_id: int) -> list[ChainEntry]:
    """A room's whispers chain in position order, as 1.x ChainEntry dicts."""
    links = WhisperLink.objects.filter(room_id=room_id).select_related("user").order_by("position")
    return [chain_entry(link) for link in links]


def chain_entry(link: WhisperLink) -> ChainEntry:
    """One place of a whispers chain, as 1.x ChainEntry (the link's `user` joined in)."""
    return {
        "userId": link.user_id,
        "username": link.user.username,
        "displayName": link.user.display_name,
        "position": link.position,
    }


def room_find(room_id: int) -> Room | None:
    """The room with this id, or None (also for ids no row can have)."""
    if not 0 < room_id <= MAX_DB_ID:
        return None
    return Room.objects.select_related("created_by").filter(pk=room_id).first()


def room_list() -> list[Room]:
    """Every room, jails too, in 1.x's BINARY name order (upper case before lower case)."""
    # Sorted here, not in SQL: PostgreSQL's collation would interleave cases.
    return sorted(Room.objects.all(), key=lambda room: room.name)


def room_members_map() -> dict[str, list[UserRef]]:
    """Members of every room that has any, keyed by room id as a string, in joining order."""
    # The hello snapshot carries it too, read again on every change: four columns per member.
    members: dict[str, list[UserRef]] = {}
    rows = Membership.objects.order_by("room_id", "joined_at", "id").values_list(
        "room_id", "user_id", "user__username", "user__display_name"
    )
    for room_id, user_id, name, shown in rows:
        members.setdefault(str(room_id), []).append(
            {"id": user_id, "username": name, "display_name": shown}
        )
    return members
