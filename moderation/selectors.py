"""Reads of votes and punishments, in the 1.x payload shapes, for services and interfaces."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from accounts.selectors import actor_ref
from core import db
from core.timefmt import sql_ts
from realtime.payloads import PunishmentPayload, VotePayload, VoteSnapshot

from .models import Punishment, Vote
from .shapes import MyPunishment, RoomPunishment, VoteSummary


def vote_payload(vote: Vote) -> VotePayload:
    """The 1.x `vote:started` `vote` object."""
    return {
        "id": vote.pk,
        "sourceRoomId": vote.room_pk,
        "targetUserId": vote.target_id,
        "targetUsername": vote.target.username,
        "targetDisplayName": vote.target.display_name,
        "initiatedBy": actor_ref(vote.initiated_by),
        "durationSecs": vote.duration_secs,
        "eligibleCount": vote.eligible_count,
        "expiresAt": sql_ts(vote.expires_at) or "",
    }


def vote_summary(vote: Vote) -> VoteSummary:
    """The 1.x `vote` of `POST /api/votes`'s answer."""
    return {
        "id": vote.pk,
        "sourceRoomId": vote.room_pk,
        "targetUserId": vote.target_id,
        "durationSecs": vote.duration_secs,
        "eligibleCount": vote.eligible_count,
        "expiresAt": sql_ts(vote.expires_at) or "",
    }


def punishment_payload(punishment: Punishment) -> PunishmentPayload:
    """The 1.x `punishment:started` `punishment` object (never a token or key)."""
    return {
        "id": punishment.pk,
        "targetUserId": punishment.target_id,
        "targetUsername": punishment.target.username,
        "targetDisplayName": punishment.target.display_name,
        "sourceRoomId": punishment.source_pk,
        "sourceRoomName": punishment.source.name,
        "jailRoomId": punishment.jail_pk,
        "jailRoomName": punishment.jail.name,
        "durationSecs": punishment.duration_secs,
        "expiresAt": sql_ts(punishment.expires_at) or "",
    }


def punishments_in_force(*, now: datetime | None = None) -> QuerySet[Punishment]:
    """Punishments that are active and not yet past their end."""
    return Punishment.objects.filter(active=True, expires_at__gt=now or timezone.now())


def punishment_in_force_for(*, user_id: int, now: datetime | None = None) -> Punishment | None:
    """The user's punishment in force that ends last, if they are jailed at all."""
    return (
        punishments_in_force(now=now)
        .filter(target_id=user_id)
        .select_related("source_room", "jail_room")
        .order_by("-expires_at", "-id")
        .first()
    )


_JAIL_IN_FORCE = db.sql(
    "SELECT {jail}, {ends} FROM {punishments} WHERE {target} = %s AND {active} = %s"
    " AND {ends} > %s ORDER BY {ends} DESC, {id} DESC LIMIT 1",
    jail=db.column(Punishment, "jail_room_id"),
    ends=db.column(Punishment, "expires_at"),
    punishments=db.table(Punishment),
    target=db.column(Punishment, "target_id"),
    active=db.column(Punishment, "active"),
    id=db.column(Punishment, "id"),
)


def jail_in_force_for(*, user_id: int) -> tuple[int, datetime] | None:
    """(jail room id, end) of the user's punishment in force that ends last, or None; every
    join asks, so it is one fixed statement (see core.db)."""
    row = db.select_one(_JAIL_IN_FORCE, [user_id, True, db.timestamp(timezone.now())])
    if row is None:
        return None
    ends = db.aware(row[1])
    return (row[0], ends) if ends is not None else None


def punishment_exists_from(*, user_id: int, room_id: int) -> bool:
    """Whether the user is jailed from this room right now."""
    return punishments_in_force().filter(target_id=user_id, source_room_id=room_id).exists()


def active_votes_snapshot() -> list[VoteSnapshot]:
    """Every unresolved vote as its `vote:started` payload plus current `yesCount`/`noCount`."""
    votes = (
        Vote.objects.filter(resolved=False).select_related("target", "initiated_by").order_by("id")
    )
    return [
        {**vote_payload(vote), "yesCount": vote.yes_count, "noCount": vote.no_count}
        for vote in votes
    ]


def active_punishments_snapshot() -> list[PunishmentPayload]:
    """Every punishment in force as its `punishment:started` payload (no jail credentials)."""
    punishments = (
        punishments_in_force().select_related("target", "source_room", "jail_room").order_by("id")
    )
    return [punishment_payload(p) for p in punishments]


def user_active_punishments(*, user_id: int) -> list[MyPunishment]:
    """The 1.x `GET /api/punishments/active` rows of one user."""
    punishments = (
        punishments_in_force()
        .filter(target_id=user_id)
        .select_related("source_room", "jail_room")
        .order_by("id")
    )
    return [
        {
            "id": p.pk,
            "sourceRoomId": p.source_pk,
            "sourceRoomName": p.source.name,
            "jailRoomId": p.jail_pk,
            "jailRoomName": p.jail.name,
            "durationSecs": p.duration_secs,
            "expiresAt": sql_ts(p.expires_at) or "",
        }
        for p in punishments
    ]


def room_active_punishments(*, room_id: int) -> list[RoomPunishment]:
    """The 1.x `GET /api/rooms/:id/punishments` rows: who is jailed from this room."""
    punishments = (
        punishments_in_force()
        .filter(source_room_id=room_id)
        .select_related("target")
        .order_by("id")
    )
    return [
        {
            "id": p.pk,
            "targetUserId": p.target_id,
            "targetUsername": p.target.username,
            "targetDisplayName": p.target.display_name,
            "durationSecs": p.duration_secs,
            "expiresAt": sql_ts(p.expires_at) or "",
        }
        for p in punishments
    ]
