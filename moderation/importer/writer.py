"""Writing a 1.x database's rows through our models, in one transaction.

Users keep their ids, because every token 1.x handed out names its user by id; a user whose id
or username (in any case) belongs to someone else here is left out rather than merged. A room
is known by its name (the LiveKit room and its E2EE key hang on the name), so it keeps its id
where that id is free and takes a new one where not. Rows are matched to what an earlier run
wrote, so running again changes nothing unless the 1.x database changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from accounts.models import User
from moderation.models import Punishment
from rooms.models import Room

from . import rules
from .source import OneXDatabase, OneXPunishment, OneXRoom, OneXUser
from .summary import Summary


class ImportRefused(Exception):
    """The import would mix two communities; the message says what to do instead."""


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


def import_1x(
    *, database: OneXDatabase, now: datetime, dry_run: bool = False, allow_existing_users: bool
) -> Summary:
    """Imports users, rooms and punishments from a 1.x database, all or nothing, and returns
    what it did. Publishes no events: nobody is connected while a community moves."""
    summary = Summary(source=str(database.path), dry_run=dry_run)
    try:
        with transaction.atomic():
            if not allow_existing_users:
                _refuse_other_users(database)
            _Run(database, summary=summary, now=now).run()
            if dry_run:
                raise _DryRun
            # Explicit ids do not move PostgreSQL's sequences (and setval outlives a rollback,
            # hence not on a dry run); SQLite's AUTOINCREMENT follows by itself.
            summary.sequences_reset = _reset_sequences([User, Room, Punishment])
    except _DryRun:
        pass
    return summary


def _refuse_other_users(database: OneXDatabase) -> None:
    theirs = {user.id: user.username.lower() for user in database.users}
    others = [
        username
        for pk, username in User.objects.order_by("pk").values_list("pk", "username")
        if theirs.get(pk) != username.lower()
    ]
    if others:
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        raise ImportRefused(
            f"This database already has {len(others)} user(s) that {database.path} does not "
            f"have ({shown}). Import into a fresh database, before creating an admin; or pass "
            "--allow-existing-users to import beside them (a 1.x user whose id or username is "
            "taken here is then left out)."
        )


def _reset_sequences(model_list: list[type[models.Model]]) -> bool:
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    return bool(statements)


def _sync(obj: models.Model, values: Mapping[str, Any]) -> bool:
    """Sets the fields that differ and saves only those. True if anything changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return bool(changed)


def _free_id(model: type[models.Model], *, above: int) -> int:
    highest = model._default_manager.aggregate(m=Max("pk"))["m"] or 0
    return max(highest, above) + 1


class _Run:
    def __init__(self, database: OneXDatabase, *, summary: Summary, now: datetime) -> None:
        self.db = database
        self.summary = summary
        self.now = now
        self.users: dict[int, User] = {}
        self.rooms: dict[int, Room] = {}
        self.top_room_id = max((room.id for room in database.rooms), default=0)
        self.top_punishment_id = max((p.id for p in database.punishments), default=0)

    def run(self) -> None:
        for user in self.db.users:
            self._user(user)
        self._shared_display_names()
        # Jails after every other room, since a jail points at its source.
        for room in sorted(self.db.rooms, key=lambda r: (r.is_jail, r.id)):
            self._room(room)
        for user in self.db.users:
            self._last_room(user)
        for punishment in self.db.punishments:
            self._punishment(punishment)
        self._left_behind()

    # --- users -----------------------------------------------------------------------------

    def _user(self, row: OneXUser) -> None:
        label = f"user {row.id} {row.username!r}"
        problem = rules.username_problem(row.username) or self._user_clash(row)
        if problem:
            self.summary.skip("users", f"{label}: {problem}")
            return
        display_name, mended = rules.display_name_mended(row.display_name, username=row.username)
        if mended:
            self.summary.note(f"{label}: {mended}")
        values: dict[str, Any] = {
            "username": row.username,
            "display_name": display_name,
            "last_seen": row.last_seen,
        }
        if row.created_at is not None:
            values["created_at"] = row.created_at
        existing = User.objects.filter(pk=row.id).first()
        values.update(self._password(row, label, existing))
        if existing is None:
            self.users[row.id] = User.objects.create(pk=row.id, **values)
            self.summary.record("users", row.id, "imported")
        else:
            self.users[row.id] = existing
            self.summary.record(
                "users", row.id, "updated" if _sync(existing, values) else "unchanged"
            )

    def _user_clash(self, row: OneXUser) -> str | None:
        same_name = next(
            (u for u in self.users.values() if u.username.lower() == row.username.lower()), None
        )
        if same_name is not None:
            return (
                f"differs only in case from {same_name.username!r} (user {same_name.pk}), and "
                "usernames here ignore case"
            )
        taken = User.objects.filter(pk=row.id).exclude(username__iexact=row.username).first()
        if taken is not None:
            return f"id {row.id} belongs to {taken.username!r} here, and 1.x tokens name the id"
        other = User.objects.filter(username__iexact=row.username).exclude(pk=row.id).first()
        if other is not None:
            return f"the username is taken here by {other.username!r} (user {other.pk})"
        return None

    def _password(self, row: OneXUser, label: str, existing: User | None) -> dict[str, str]:
        if rules.password_usable(row.password_hash):
            return {"password": row.password_hash}
        self.summary.note(
            f"{label}: no bcrypt hash to check logins against; imported without a password "
            f"(set one with `manage.py changepassword {row.username}`)"
        )
        if existing is not None and not existing.has_usable_password():
            return {}
        return {"password": make_password(None)}

    def _shared_display_names(self) -> None:
        holders: dict[str, list[str]] = defaultdict(list)
        for user in self.users.values():
            holders[user.display_name.casefold()].append(user.username)
        for usernames in holders.values():
            if len(usernames) > 1:
                shown = next(
                    u.display_name for u in self.users.values() if u.username == usernames[0]
                )
                self.summary.note(
                    f"display name {shown!r} is shared by {', '.join(usernames)}; kept, as "
                    "1.x allowed (their usernames tell them apart)"
                )

    # --- rooms -----------------------------------------------------------------------------

    def _room(self, row: OneXRoom) -> None:
        label = f"room {row.id} {row.name!r}"
        source = self.rooms.get(row.jail_source_room_id or 0) if row.is_jail else None
        source_name = source.name if source else None
        problem = rules.room_name_problem(row, source_name=source_name)
        existing = Room.objects.filter(name=row.name).first()
        if problem is None and existing is not None and existing.is_jail != row.is_jail:
            problem = f"a {'jail' if existing.is_jail else 'room'} of that name is already here"
        if problem:
            self.summary.skip("rooms", f"{label}: {problem}")
            return
        values = self._room_values(row, label, source)
        if existing is None:
            pk = row.id if not Room.objects.filter(pk=row.id).exists() else self._free_room_id()
            existing = Room.objects.create(pk=pk, name=row.name, **values)
            self.summary.record("rooms", existing.pk, "imported")
        else:
            changed = _sync(existing, values)
            self.summary.record("rooms", existing.pk, "updated" if changed else "unchanged")
        if existing.pk != row.id:
            self.summary.note(
                f"{label} is room {existing.pk} here (a room by that name was here, or another "
                f"had id {row.id}); rooms are known by name, so calls and keys are unchanged"
            )
        self.rooms[row.id] = existing

    def _room_values(self, row: OneXRoom, label: str, source: Room | None) -> dict[str, Any]:
        room_type, type_note = rules.room_type(row.type)
        mode, mode_note = rules.room_mode(row.mode)
        creator = self.users.get(row.created_by or 0)
        creator_note = None
        if row.created_by is not None and creator is None:
            creator_note = (
                f"its creator (user {row.created_by}) is not here; only staff may delete it"
            )
        for note in (type_note, mode_note, creator_note):
            if note:
                self.summary.note(f"{label}: {note}")
        values: dict[str, Any] = {
            "type": room_type,
            "mode": Room.Mode.NORMAL if row.is_jail else mode,
            "is_jail": row.is_jail,
            "jail_source_id": source.pk if source else None,
            "created_by_id": creator.pk if creator else None,
        }
        if row.created_at is not None:
            values["created_at"] = row.created_at
        return values

    def _free_room_id(self) -> int:
        return _free_id(Room, above=self.top_room_id)

    def _last_room(self, row: OneXUser) -> None:
        user = self.users.get(row.id)
        if user is None:
            return
        room = self.rooms.get(row.last_room_id or 0)
        if row.last_room_id is not None and room is None:
            self.summary.note(
                f"user {row.id} {row.username!r}: their last room ({row.last_room_id}) is not "
                "here; they start in none"
            )
        if _sync(user, {"last_room_id": room.pk if room else None}):
            self.summary.record("users", row.id, "updated")

    # --- punishments -----------------------------------------------------------------------

    def _punishment(self, row: OneXPunishment) -> None:
        target = self.users.get(row.target_user_id or 0)
        source = self.rooms.get(row.source_room_id or 0)
        if target is None:
            return self._punishment_skip(row, f"its target (user {row.target_user_id})")
        if source is None:
            return self._punishment_skip(row, f"its source room ({row.source_room_id})")
        started, expires, duration = row.started_at, row.expires_at, row.duration_secs
        if started is None or expires is None or duration is None or duration <= 0:
            return self.summary.skip(
                "punishments", f"punishment {row.id}: its start, end or duration cannot be read"
            )
        jail = self._jail_for(row, source)
        if jail is None:
            return self._punishment_skip(
                row, f"its jail room ({row.jail_room_id}), or a name for one"
            )
        values: dict[str, Any] = {
            "jail_room_id": jail.pk,
            "duration_secs": duration,
            "expires_at": expires,
            # Expired ones (1.x's timer, or its restart bug, may have left them active=1) are
            # history here, so the scheduler does not announce their end again.
            "active": row.active and expires > self.now,
            "lifted_by_id": self.users[row.lifted_by].pk if row.lifted_by in self.users else None,
            "lifted_at": row.lifted_at,
        }
        self._punishment_write(row, target=target, source=source, started=started, values=values)

    def _punishment_skip(self, row: OneXPunishment, missing: str) -> None:
        self.summary.skip("punishments", f"punishment {row.id}: {missing} is not here")

    def _punishment_write(
        self,
        row: OneXPunishment,
        *,
        target: User,
        source: Room,
        started: datetime,
        values: dict[str, Any],
    ) -> None:
        existing = Punishment.objects.filter(
            target=target, source_room=source, started_at=started
        ).first()
        if existing is None:
            free = not Punishment.objects.filter(pk=row.id).exists()
            pk = row.id if free else _free_id(Punishment, above=self.top_punishment_id)
            existing = Punishment.objects.create(
                pk=pk, target=target, source_room=source, started_at=started, **values
            )
            self.summary.record("punishments", existing.pk, "imported")
        else:
            changed = _sync(existing, values)
            self.summary.record("punishments", existing.pk, "updated" if changed else "unchanged")
        self.summary.active_punishments += values["active"]

    def _jail_for(self, row: OneXPunishment, source: Room) -> Room | None:
        jail = self.rooms.get(row.jail_room_id or 0)
        if jail is not None:
            return jail
        # 1.x finds a jail by its name; do the same, and make one if there is none.
        name = f"{rules.JAIL_PREFIX}{source.name}"
        jail = Room.objects.filter(name=name).first()
        if jail is not None and not jail.is_jail:
            return None
        if jail is None:
            jail = Room.objects.create(
                pk=self._free_room_id(),
                name=name,
                type=source.type,
                is_jail=True,
                jail_source=source,
            )
            self.summary.record("rooms", jail.pk, "imported")
        self.summary.note(
            f"punishment {row.id}: its jail room ({row.jail_room_id}) is not here; it uses "
            f"{name!r} (room {jail.pk})"
        )
        if row.jail_room_id is not None:
            self.rooms[row.jail_room_id] = jail
        return jail

    def _left_behind(self) -> None:
        if self.db.votes:
            self.summary.left_behind.append(
                f"{_plural(self.db.votes, 'vote')} (a vote lasts 30 seconds; passed ones live "
                "on as punishments)"
            )
        if self.db.whisper_links:
            self.summary.left_behind.append(
                f"{_plural(self.db.whisper_links, 'place')} in whispers chains (they listed who "
                "was connected; a whispers room's chain forms again as people join)"
            )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
