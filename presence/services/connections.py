"""Realtime connections opening and closing, process heartbeats, and the sweep that
turns expired grace periods and dead processes into leave/offline events.

Every rule here holds for both transports and any number of processes: the truth is in the
database, and each deadline is claimed with a conditional write so it fires once.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import User
from accounts.selectors import user_lock, user_ref
from core import db
from core.retry import retry_transaction
from core.scheduler import each_due
from presence.models import Connection, Presence, ServerProcess
from realtime.events import UserOffline, UserOnline
from realtime.publish import Everyone, publish
from rooms.models import Membership
from rooms.services.locks import member_lock
from rooms.services.membership import membership_end

RefusalReason = Literal["server_full", "user_full"]


class ConnectionRefused(Exception):
    """A new connection would exceed a cap; `reason` says which one."""

    def __init__(self, reason: RefusalReason) -> None:
        super().__init__(reason)
        self.reason: RefusalReason = reason


@transaction.atomic
def presence_connect(
    *,
    user: User,
    transport: str,
    process_id: str,
    seat: str = "",
    now: datetime | None = None,
) -> uuid.UUID:
    """Records a new connection of `user` held by `process_id` (listening at `seat`), or raises
    ConnectionRefused when a cap is reached. Connections of processes that stopped
    heart-beating, or that this process replaced on its seat, do not count (they are reaped).
    Publishes `user:online` if the user was offline; a reconnect within the grace period
    publishes nothing. Returns the connection id."""
    # Every (re)connect runs this: a few fixed statements (see core.db), not the ORM's dozen.
    now = now or timezone.now()
    # One user's connects are counted one at a time.
    user_lock(user.pk)
    _process_alive(process_id=process_id, seat=seat, now=now)
    counted_since = db.timestamp(now - timedelta(seconds=2 * settings.PRESENCE_HEARTBEAT_SECONDS))
    total, mine = db.select_one(_COUNTS, [user.pk, counted_since]) or (0, 0)
    if total >= settings.PRESENCE_MAX_TOTAL:
        raise ConnectionRefused("server_full")
    if (mine or 0) >= settings.PRESENCE_MAX_PER_USER:
        raise ConnectionRefused("user_full")
    connection_id = uuid.uuid4()
    db.execute(
        _INSERT_CONNECTION,
        [
            db.param(Connection, "id", connection_id),
            user.pk,
            process_id,
            transport,
            db.timestamp(now),
        ],
    )
    was_online = db.select_one(_ONLINE, [user.pk])
    db.execute(_SET_ONLINE if was_online else _INSERT_ONLINE, [True, user.pk])
    db.execute(_LAST_SEEN, [db.timestamp(now), user.pk])
    if not (was_online and was_online[0]):
        publish(UserOnline(user=user_ref(user)), to=Everyone())
    return connection_id


def _process_alive(*, process_id: str, seat: str, now: datetime) -> None:
    stamp = db.timestamp(now)
    if db.execute(_BEAT, [stamp, process_id]):
        return
    # First connection of this process: any other process on its seat is gone.
    if seat:
        replaced = ServerProcess.objects.filter(seat=seat).exclude(pk=process_id)
        for old_id, heartbeat_at in replaced.values_list("id", "heartbeat_at"):
            process_reap(process_id=old_id, heartbeat_at=heartbeat_at)
    ServerProcess.objects.update_or_create(
        pk=process_id, defaults={"heartbeat_at": now, "seat": seat}
    )


_BEAT = db.sql(
    "UPDATE {processes} SET {beat} = %s WHERE {id} = %s",
    processes=db.table(ServerProcess),
    beat=db.column(ServerProcess, "heartbeat_at"),
    id=db.column(ServerProcess, "id"),
)
# Every connection of a live process, and this user's, in one pass.
_COUNTS = db.sql(
    "SELECT COUNT(*), SUM(CASE WHEN c.{user} = %s THEN 1 ELSE 0 END)"
    " FROM {connections} c JOIN {processes} p ON p.{process_id} = c.{process}"
    " WHERE p.{beat} >= %s",
    user=db.column(Connection, "user_id"),
    connections=db.table(Connection),
    processes=db.table(ServerProcess),
    process_id=db.column(ServerProcess, "id"),
    process=db.column(Connection, "process_id"),
    beat=db.column(ServerProcess, "heartbeat_at"),
)
_INSERT_CONNECTION = db.sql(
    "INSERT INTO {connections} ({fields}) VALUES (%s, %s, %s, %s, %s)",
    connections=db.table(Connection),
    fields=db.columns(Connection, ["id", "user_id", "process_id", "transport", "opened_at"]),
)
_ONLINE = db.sql(
    "SELECT {online} FROM {presences} WHERE {user} = %s",
    online=db.column(Presence, "online"),
    presences=db.table(Presence),
    user=db.column(Presence, "user_id"),
)
_SET_ONLINE = db.sql(
    "UPDATE {presences} SET {online} = %s, {due} = NULL WHERE {user} = %s",
    presences=db.table(Presence),
    online=db.column(Presence, "online"),
    due=db.column(Presence, "offline_due_at"),
    user=db.column(Presence, "user_id"),
)
_INSERT_ONLINE = db.sql(
    "INSERT INTO {presences} ({online}, {user}) VALUES (%s, %s)",
    presences=db.table(Presence),
    online=db.column(Presence, "online"),
    user=db.column(Presence, "user_id"),
)
_LAST_SEEN = db.sql(
    "UPDATE {users} SET {last_seen} = %s WHERE {id} = %s",
    users=db.table(User),
    last_seen=db.column(User, "last_seen"),
    id=db.column(User, "id"),
)


@transaction.atomic
def presence_disconnect(
    *,
    connection_id: uuid.UUID,
    now: datetime | None = None,
    heard_at: datetime | None = None,
    leaving: bool = False,
) -> None:
    """Forgets a closed connection. If it was the user's last, their grace period starts (long
    if the client was heard from lately, at `heard_at` or by a ping; see grace_period) and the
    sweep publishes leave/offline when it ends; publishes nothing itself. A `leaving` client
    (a clean close) that had no other connection leaves at once instead (presence_leave)."""
    now = now or timezone.now()
    connection = Connection.objects.filter(pk=connection_id).first()
    if connection is None:
        # Already reaped (this process was presumed dead); the reaper started the grace.
        return
    connection.delete()
    User.objects.filter(pk=connection.user_id).update(last_seen=now)
    if leaving and not Connection.objects.filter(user_id=connection.user_id).exists():
        presence_leave(user=User.objects.get(pk=connection.user_id), now=now)
        return
    _start_grace_if_gone(user_id=connection.user_id, since=now, heard_at=heard_at)


@transaction.atomic
def process_heartbeat(*, process_id: str, now: datetime) -> set[uuid.UUID]:
    """Marks `process_id` alive. Returns the ids of its connections still on record, so the
    process can close any the reaper already counted as gone."""
    ServerProcess.objects.update_or_create(pk=process_id, defaults={"heartbeat_at": now})
    return set(Connection.objects.filter(process_id=process_id).values_list("id", flat=True))


def presence_sweep(*, now: datetime) -> None:
    """Scheduler job: reaps the connections of processes that stopped heart-beating, ends
    expired grace periods (membership_end publishes `user:room_leave`; `user:offline` follows),
    and ends the memberships of members who are not online (membership_lapse)."""
    cutoff = now - timedelta(seconds=settings.PRESENCE_REAP_AFTER_SECONDS)
    for process_id, heartbeat_at in ServerProcess.objects.filter(
        heartbeat_at__lt=cutoff
    ).values_list("id", "heartbeat_at"):
        process_reap(process_id=process_id, heartbeat_at=heartbeat_at)
    due = Presence.objects.filter(online=True, offline_due_at__lte=now).values_list(
        "user_id", flat=True
    )
    for user_id in list(due):
        presence_expire(user_id=user_id, now=now)
    each_due(
        _members_not_online(now=now),
        lambda user_id: membership_lapse(user_id=user_id, now=now),
        what="Ending the membership of offline user",
    )


@transaction.atomic
def process_reap(*, process_id: str, heartbeat_at: datetime) -> bool:
    """Deletes a silent process and its connections, starting the grace period of each user
    left with none, as if they disconnected at its last heartbeat. Returns whether this call
    did it (another process's sweep, or a late heartbeat, may have come first)."""
    user_ids = set(
        Connection.objects.filter(process_id=process_id).values_list("user_id", flat=True)
    )
    # Conditional on the heartbeat we saw: a process that came back, or a concurrent sweep
    # that already reaped it, makes this delete nothing.
    _, deleted = ServerProcess.objects.filter(pk=process_id, heartbeat_at=heartbeat_at).delete()
    if not deleted.get(ServerProcess._meta.label):
        return False
    for user_id in user_ids:
        _start_grace_if_gone(user_id=user_id, since=heartbeat_at)
    User.objects.filter(pk__in=user_ids, last_seen__lt=heartbeat_at).update(last_seen=heartbeat_at)
    return True


@retry_transaction
@transaction.atomic
def presence_expire(*, user_id: int, now: datetime) -> bool:
    """Takes a user whose grace period has ended offline and out of their room. Publishes
    `user:room_leave` (and whispers chain updates) via membership_end, then `user:offline`.
    Returns whether this call claimed the deadline."""
    # Their room, then their row (rooms.services.locks), before the claim: a leave of theirs
    # takes the same, so the two queue here rather than on each other's rows.
    member_lock(user_id=user_id)
    claimed = (
        Presence.objects.filter(user_id=user_id, online=True, offline_due_at__lte=now)
        .exclude(Exists(Connection.objects.filter(user_id=OuterRef("user_id"))))
        .update(online=False, offline_due_at=None)
    )
    if not claimed:
        return False
    user = User.objects.get(pk=user_id)
    membership_end(user=user)
    publish(UserOffline(user=user_ref(user)), to=Everyone())
    return True


def _members_not_online(*, now: datetime) -> list[int]:
    # Members past their allowance who are not online: they joined through the API and never
    # opened a connection (or only after theirs had ended).
    online = Presence.objects.filter(user_id=OuterRef("user_id"), online=True)
    members = Membership.objects.filter(joined_at__lte=_unconnected_cutoff(now))
    return list(members.exclude(Exists(online)).values_list("user_id", flat=True))


def _unconnected_cutoff(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.PRESENCE_UNCONNECTED_MEMBER_SECONDS)


@retry_transaction
@transaction.atomic
def membership_lapse(*, user_id: int, now: datetime) -> bool:
    """Takes a member who is not online out of their room once PRESENCE_UNCONNECTED_MEMBER_SECONDS
    have passed since they joined: only a live connection keeps someone in a room (in 1.x a
    join without one put nobody anywhere), so nobody lingers as a ghost, while a client that
    joins before its event stream (re)connects, as 2.x's do after a drop, has time to.
    Publishes `user:room_leave` (and whispers chain updates) via membership_end. Returns
    whether it did."""
    # Serialised with the user's connects: one that lands first keeps the membership. Their
    # room first, then their row (the order of rooms.services.locks).
    member_lock(user_id=user_id)
    if Presence.objects.filter(user_id=user_id, online=True).exists():
        return False
    due = Membership.objects.filter(user_id=user_id, joined_at__lte=_unconnected_cutoff(now))
    if not due.exists():
        return False
    return membership_end(user=User.objects.get(pk=user_id)) is not None


def _start_grace_if_gone(
    *, user_id: int, since: datetime, heard_at: datetime | None = None
) -> None:
    if Connection.objects.filter(user_id=user_id).exists():
        return
    pinged_at = Presence.objects.filter(user_id=user_id).values_list("pinged_at", flat=True).first()
    heard = max((at for at in (heard_at, pinged_at) if at is not None), default=None)
    Presence.objects.filter(user_id=user_id, online=True, offline_due_at__isnull=True).update(
        offline_due_at=since + grace_period(heard_at=heard, since=since)
    )


def grace_period(*, heard_at: datetime | None, since: datetime) -> timedelta:
    """2.x's rule for how long a user whose last connection went at `since` stays: the long
    grace if their client was heard from shortly before (a reload or a reconnect is under way),
    else the short one, for a client that vanished or never pings (1.x)."""
    fresh = timedelta(seconds=settings.PRESENCE_PING_FRESH_SECONDS)
    long = settings.PRESENCE_GRACE_SECONDS
    if heard_at is not None and since - heard_at < fresh:
        return timedelta(seconds=long)
    return timedelta(seconds=min(settings.PRESENCE_SHORT_GRACE_SECONDS, long))


@transaction.atomic
def presence_ping(*, user: User, now: datetime | None = None) -> None:
    """Records a heartbeat of the user's client (2.x's `POST /api/events/ping`, every 8 s), so
    that when their last connection goes they get the long grace. Publishes nothing."""
    now = now or timezone.now()
    if not db.execute(_PING, [db.timestamp(now), user.pk]):
        # A client that pings before its first connection: no row yet.
        Presence.objects.update_or_create(user_id=user.pk, defaults={"pinged_at": now})


# Every 2.x client sends one every 8 s: one fixed statement.
_PING = db.sql(
    "UPDATE {presences} SET {pinged} = %s WHERE {user} = %s",
    presences=db.table(Presence),
    pinged=db.column(Presence, "pinged_at"),
    user=db.column(Presence, "user_id"),
)


@retry_transaction
@transaction.atomic
def presence_leave(
    *, user: User, connection_id: uuid.UUID | None = None, now: datetime | None = None
) -> None:
    """The user leaves on purpose (2.x's `POST /api/events/leave`, a page's beacon, a clean
    close): out of their room at once (`user:room_leave`, whispers chain updates), and
    `user:offline` at once if no connection of theirs is left, cancelling any grace period.

    A client that names the connection it is closing with (our page's beacon, sent as the page
    goes) leaves the room only if it holds no other connection, and goes offline when that
    connection has closed and its grace has ended: a reload is then never seen as offline, and
    closing one tab keeps the room of another."""
    now = now or timezone.now()
    # Serialised with the user's connects: none can slip in between the check and offline.
    # Their room first, then their row (the order of rooms.services.locks).
    member_lock(user_id=user.pk)
    connections = Connection.objects.filter(user_id=user.pk)
    User.objects.filter(pk=user.pk).update(last_seen=now)
    if connection_id is not None:
        if not connections.exclude(pk=connection_id).exists():
            membership_end(user=user)
        return
    membership_end(user=user)
    if not connections.exists():
        _offline_now(user=user)


def _offline_now(*, user: User) -> None:
    # Claimed, so the user is announced offline once however many leaves arrive (2.x could
    # send a second `user:offline`).
    if Presence.objects.filter(user_id=user.pk, online=True).update(
        online=False, offline_due_at=None
    ):
        publish(UserOffline(user=user_ref(user)), to=Everyone())
