"""The locks every change of rooms, memberships and whispers chains takes, and their order.

On PostgreSQL, every path that touches rooms, users, memberships and whispers chains (a join, a
leave, a sync, a jail move, whispers on and off, the staff reset, a room's deletion, presence
ending a membership) takes what it needs of these, in this order, and nothing of an earlier
step after a later one; so no two of them can each wait for the other:

1. Rooms' rows, by ascending id, in one statement. `FOR KEY SHARE` by a membership change, on
   the room joined and the room left: any number at once, so joins into one room do not queue.
   `FOR UPDATE` by a change of the room itself (whispers on/off, the reset, its deletion with
   its jails, a new creator), which waits for the membership changes in flight and holds back
   new ones, so a member list it reads stays true until it commits.
2. The user's row, `FOR NO KEY UPDATE` (accounts.selectors.user_lock, or the update of their
   last room): one user's changes one at a time, while foreign-key checks on it pass.
3. Their membership row (moved or deleted).
4. The whispers chains' advisory locks, by ascending room id (`chains_lock`): membership changes
   share their rooms, so edits of one chain need their own lock.
5. The chains' links; and a room whose chain falls below two members is put back to normal mode
   by a plain update (FOR NO KEY UPDATE), which the KEY SHARE holders of step 1 let through and
   which no FOR UPDATE holder can be ahead of, since this transaction holds that room since 1.

The room left is known only from the membership, so step 1 reads the membership unlocked with
the rooms it locks, and step 3 changes the membership only if it is still in that room: a change
in between raises Contended and the transaction runs again (core.retry). A ballot's jail move
locks its vote and target user before step 1; a deadlock that meets is retried the same way.
SQLite has one writer at a time, so there every lock here is a no-op.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from accounts.models import User
from accounts.selectors import user_lock
from core import db
from core.errors import NotFound
from rooms.models import Membership, Room

ROOM_FIELDS = ("id", "name", "type", "mode", "is_jail", "created_by_id")
# The key space of the whispers chains' advisory locks (see core.db.advisory_lock).
CHAIN_LOCKS = 1


_MEMBER_ROOM = db.sql(
    "(SELECT {member_room} FROM {memberships} WHERE {member} = %s)",
    member_room=db.column(Membership, "room_id"),
    memberships=db.table(Membership),
    member=db.column(Membership, "user_id"),
)
# Step 1 of a join: the room joined and the room the user is in, locked in id order (the sort
# is below the lock), with the membership and last room as they were read.
_MOVE_ROOMS = db.sql(
    "SELECT {fields}, {member_room}, (SELECT {last_room} FROM {users} WHERE {user_id} = %s)"
    " FROM {rooms} WHERE {id} = %s OR {id} = {member_room} ORDER BY {id}{lock}",
    fields=db.columns(Room, ROOM_FIELDS),
    member_room=_MEMBER_ROOM,
    last_room=db.column(User, "last_room_id"),
    users=db.table(User),
    user_id=db.column(User, "id"),
    rooms=db.table(Room),
    id=db.column(Room, "id"),
    lock=db.row_lock("KEY SHARE", of=db.table(Room)),
)
_MEMBER_ROOM_LOCK = db.sql(
    "SELECT {fields} FROM {rooms} WHERE {id} = {member_room}{lock}",
    fields=db.columns(Room, ROOM_FIELDS),
    rooms=db.table(Room),
    id=db.column(Room, "id"),
    member_room=_MEMBER_ROOM,
    lock=db.row_lock("KEY SHARE", of=db.table(Room)),
)
_ROOMS_LOCK = db.sql(
    "SELECT {fields} FROM {rooms} WHERE {id} IN ({ids}) ORDER BY {id}{lock}",
    fields=db.columns(Room, ROOM_FIELDS),
    rooms=db.table(Room),
    id=db.column(Room, "id"),
    ids="{ids}",
    lock=db.row_lock("UPDATE"),
)
_MOVE_MEMBERSHIP = db.sql(
    "UPDATE {memberships} SET {room} = %s, {joined_at} = %s WHERE {user} = %s AND {room} = %s",
    memberships=db.table(Membership),
    room=db.column(Membership, "room_id"),
    joined_at=db.column(Membership, "joined_at"),
    user=db.column(Membership, "user_id"),
)
_ADD_MEMBERSHIP = db.sql(
    "INSERT INTO {memberships} ({user}, {room}, {joined_at}) VALUES (%s, %s, %s)"
    " ON CONFLICT ({user}) DO NOTHING",
    memberships=db.table(Membership),
    room=db.column(Membership, "room_id"),
    joined_at=db.column(Membership, "joined_at"),
    user=db.column(Membership, "user_id"),
)
_END_MEMBERSHIP = db.sql(
    "DELETE FROM {memberships} WHERE {user} = %s AND {room} = %s",
    memberships=db.table(Membership),
    room=db.column(Membership, "room_id"),
    user=db.column(Membership, "user_id"),
)


def _room(row: tuple[object, ...]) -> Room:
    return db.instance(Room, ROOM_FIELDS, row[: len(ROOM_FIELDS)])


def move_lock(*, room_id: int, user_id: int) -> tuple[Room, Room | None, int | None, int | None]:
    """Step 1 of a membership change into `room_id`: (the room, the room left if another one,
    the room the user is in, their last room), both rooms locked FOR KEY SHARE. Raises
    NotFound for an unknown room."""
    rows = db.select_all(_MOVE_ROOMS, [user_id, user_id, room_id, user_id])
    rooms = {int(row[0]): row for row in rows}
    if room_id not in rooms:
        raise NotFound("Room not found")
    fields = len(ROOM_FIELDS)
    current, last_room_id = rooms[room_id][fields], rooms[room_id][fields + 1]
    left = _room(rooms[current]) if current in rooms and current != room_id else None
    return _room(rooms[room_id]), left, current, last_room_id


def member_lock(*, user_id: int) -> Room | None:
    """Steps 1 and 2 for a change of the user's membership other than a join: the room they
    are in (FOR KEY SHARE), then their row. Returns that room, or None."""
    row = db.select_one(_MEMBER_ROOM_LOCK, [user_id])
    user_lock(user_id)
    return None if row is None else _room(row)


def rooms_lock(room_ids: Iterable[int]) -> list[Room]:
    """Step 1 for a change of rooms themselves: their rows FOR UPDATE, in id order."""
    ids = sorted(set(room_ids))
    if not ids:
        return []
    query = _ROOMS_LOCK.replace("{ids}", ", ".join(["%s"] * len(ids)))
    return [_room(row) for row in db.select_all(query, ids)]


def room_lock(room_id: int) -> Room:
    """The room, locked FOR UPDATE (step 1) for the rest of the transaction, or NotFound."""
    found = rooms_lock([room_id])
    if not found:
        raise NotFound("Room not found")
    return found[0]


def membership_move(
    *, user_id: int, room_id: int, current_room_id: int | None, at: datetime
) -> None:
    """Step 3: puts the membership in `room_id` if it is still in `current_room_id` (None: if
    there is none yet); raises Contended if it moved since step 1 read it."""
    if current_room_id is None:
        changed = db.execute(_ADD_MEMBERSHIP, [user_id, room_id, db.timestamp(at)])
    else:
        changed = db.execute(
            _MOVE_MEMBERSHIP,
            [room_id, db.timestamp(at), user_id, current_room_id],
        )
    if not changed:
        raise db.Contended(f"membership of user {user_id} changed")


def membership_delete(*, user_id: int, room_id: int) -> None:
    """Step 3: deletes the membership if it is still in `room_id`; raises Contended if not."""
    if not db.execute(_END_MEMBERSHIP, [user_id, room_id]):
        raise db.Contended(f"membership of user {user_id} changed")


def chains_lock(room_ids: Iterable[int]) -> None:
    """Step 4: the whispers chains of these rooms, in id order, for the rest of the transaction."""
    for room_id in sorted(set(room_ids)):
        db.advisory_lock(space=CHAIN_LOCKS, key=room_id)
