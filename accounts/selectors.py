"""Reads of accounts shared by several interfaces."""

from __future__ import annotations

import unicodedata

from core import db
from core.parsing import MAX_DB_ID
from core.timefmt import sql_ts
from realtime.payloads import ActorRef, UserRef

from .models import User
from .shapes import UserListed, UserMe, UserProfile

# What a request's user is read with: everything but the timestamps no request reads (they
# load on access if one ever does); the password hash fingerprints a live connection's account.
_REQUEST_FIELDS = (
    "id",
    "password",
    "username",
    "display_name",
    "is_active",
    "is_staff",
    "is_superuser",
    "last_room_id",
    "tokens_valid_after",
    # Every LiveKit token minted for the user carries it (a join reads no other row).
    "soundbite_opt_out",
)


_ACTIVE_USER = db.sql(
    "SELECT {fields} FROM {users} WHERE {id} = %s AND {is_active} = %s",
    fields=db.columns(User, _REQUEST_FIELDS),
    users=db.table(User),
    id=db.column(User, "id"),
    is_active=db.column(User, "is_active"),
)


# NO KEY UPDATE: one holder at a time, as for an update of the row, while other transactions'
# foreign-key checks on it (a whispers link or a membership naming the user) pass.
_LOCK = db.sql(
    "SELECT {id} FROM {users} WHERE {id} = %s{lock}",
    id=db.column(User, "id"),
    users=db.table(User),
    lock=db.row_lock("NO KEY UPDATE"),
)


def user_lock(user_id: int) -> None:
    """Locks the user's row until the transaction ends, on databases with row locks, so that
    one user's joins, or connects, happen one at a time; SQLite's writer lock already does."""
    if db.row_lock():
        db.select_one(_LOCK, [user_id])


def user_active(user_id: int) -> User | None:
    """The active user with this id, as every bearer-authenticated request loads it (one fixed
    statement, see core.db)."""
    if not 0 < user_id <= MAX_DB_ID:
        return None
    row = db.select_one(_ACTIVE_USER, [user_id, True])
    return None if row is None else db.instance(User, _REQUEST_FIELDS, row)


def user_ref(user: User) -> UserRef:
    """The 1.x UserRef `{id, username, display_name}`."""
    return {"id": user.pk, "username": user.username, "display_name": user.display_name}


def actor_ref(user: User) -> ActorRef:
    """The 1.x ActorRef `{id, username, displayName}`."""
    return {"id": user.pk, "username": user.username, "displayName": user.display_name}


def user_profile(user: User) -> UserProfile:
    """The 1.x `user` of login and register: `{id, username, display_name, last_room_id}`."""
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "last_room_id": user.last_room_id,
    }


def user_me(user: User) -> UserMe:
    """The 1.x `user` of `GET /auth/me`, the one place `created_at` is returned."""
    return {**user_profile(user), "created_at": sql_ts(user.created_at) or ""}


def _collation_key(text: str) -> str:
    # Close to JavaScript's localeCompare (ICU root): accents and case only break ties.
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def user_directory(*, online_ids: set[int]) -> list[UserListed]:
    """Every active user (a closed or deactivated account cannot be met), online first, then
    by display name as 1.x sorted them (no pagination)."""
    users = sorted(User.objects.filter(is_active=True), key=lambda u: u.display_name)
    users.sort(key=lambda u: (u.pk not in online_ids, _collation_key(u.display_name)))
    return [
        {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "last_seen": sql_ts(user.last_seen),
            "is_online": user.pk in online_ids,
        }
        for user in users
    ]
