"""Punishments: the jail a passed vote sends someone to, its end (lifted or expired), the rule
that a jailed user joins only their jail, and keeping them out of LiveKit rooms meanwhile."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.selectors import actor_ref
from audit.services import Kind, audit_record
from core.errors import Forbidden, NotFound
from core.scheduler import each_due
from core.timefmt import duration_words, sql_ts
from moderation.models import Punishment, Vote
from moderation.permissions import can_lift_punishment
from moderation.selectors import jail_in_force_for, punishment_in_force_for, punishment_payload
from realtime.events import PunishmentExpired, PunishmentLifted, PunishmentStarted, RoomCreated
from realtime.publish import Everyone, Users, publish
from rooms.models import Room
from rooms.selectors import room_ref, room_row
from rooms.services.membership import membership_enter, room_connection
from rooms.shapes import JoinRefusedPunishment
from sfu import outbox

logger = logging.getLogger(__name__)

JAIL_PREFIX = "Jail: "


def jail_room_for(source: Room) -> Room:
    """The source room's jail, created on first use. Publishes `room:created` for a new one
    (1.x never announced jails, so other clients only saw them after a refetch)."""
    jail, created = Room.objects.get_or_create(
        name=f"{JAIL_PREFIX}{source.name}",
        is_jail=True,
        defaults={"type": source.type, "jail_source": source, "created_by": None},
    )
    if created:
        publish(RoomCreated(room=room_row(jail)), to=Everyone())
    return jail


@transaction.atomic
def punishment_start(*, vote: Vote) -> Punishment:
    """Jails a passed vote's target: records the punishment, moves them to the jail (leave/join
    events), removes them from the source LiveKit room after commit, and publishes
    `punishment:started` to everyone, with the jail's credentials only in the target's copy."""
    source, target = vote.source_room, vote.target
    if source is None:
        raise LookupError("A vote in progress always has its room")
    jail = jail_room_for(source)
    now = timezone.now()
    punishment = Punishment.objects.create(
        target=target,
        source_room=source,
        jail_room=jail,
        vote=vote,
        duration_secs=vote.duration_secs,
        started_at=now,
        expires_at=now + timedelta(seconds=vote.duration_secs),
    )
    audit_record(
        kind=Kind.JAILED,
        target=target,
        room_id=source.pk,
        room_name=source.name,
        detail=f"For {duration_words(vote.duration_secs)}, by vote {vote.pk}",
    )
    # The target's last room stays the source room, so they return there when released.
    membership_enter(user=target, room=jail)
    outbox.remove_participant(
        room_name=source.name, identity=target.username, until=punishment.expires_at
    )
    payload = punishment_payload(punishment)
    publish(PunishmentStarted(punishment=payload), to=Everyone(exclude_user_id=target.pk))
    publish(
        PunishmentStarted(
            punishment=payload,
            jailConnection=room_connection(room=jail, user=target, ref=room_ref(jail)),
        ),
        to=Users.one(target.pk),
    )
    return punishment


@transaction.atomic
def punishment_lift(*, punishment_id: int, actor: User, why: str = "") -> None:
    """Ends a punishment early (the source room's creator, or staff), and with it the LiveKit
    removals still owed for it. Publishes `punishment:lifted` to everyone; the target's client
    then rejoins by itself."""
    punishment = (
        Punishment.objects.select_related("source_room", "target")
        .filter(pk=punishment_id, active=True)
        .first()
    )
    if punishment is None:
        raise NotFound("Active punishment not found")
    if not can_lift_punishment(actor, punishment):
        raise Forbidden("Only the room creator can lift punishments")
    now = timezone.now()
    claimed = Punishment.objects.filter(pk=punishment.pk, active=True).update(
        active=False, lifted_by=actor, lifted_at=now
    )
    if not claimed:
        raise NotFound("Active punishment not found")
    _lift_audit(punishment=punishment, actor=actor, why=why)
    if punishment_in_force_for(user_id=punishment.target_id) is None:
        # A retry must not kick them from a room they may now join.
        outbox.removals_cancel(identity=punishment.target.username)
    publish(
        PunishmentLifted(
            punishmentId=punishment.pk,
            targetUserId=punishment.target_id,
            sourceRoomId=punishment.source_pk,
            sourceRoomName=punishment.source_room_name,
            liftedBy=actor_ref(actor),
        ),
        to=Everyone(),
    )


def _lift_audit(*, punishment: Punishment, actor: User, why: str) -> None:
    room = punishment.source_room
    audit_record(
        kind=Kind.PUNISHMENT_LIFTED,
        actor=actor,
        target=punishment.target,
        room_id=punishment.source_room_id,
        room_name=punishment.source_room_name,
        detail=f"Punishment {punishment.pk}{f': {why}' if why else ''}",
        # Lifting is the source room's creator's right; anyone else needed staff power.
        override=room is None or room.created_by_id != actor.pk,
    )


def punishments_end_with_rooms(*, room_ids: list[int], actor: User) -> None:
    """Room-deletion step: lifts, as `actor` (who may delete the room, so may lift), every
    punishment from or in rooms about to be deleted. Publishes `punishment:lifted` for each."""
    doomed = Punishment.objects.filter(active=True).filter(
        Q(source_room_id__in=room_ids) | Q(jail_room_id__in=room_ids)
    )
    for punishment_id in doomed.order_by("pk").values_list("pk", flat=True):
        punishment_lift(punishment_id=punishment_id, actor=actor, why="its room was deleted")


@transaction.atomic
def punishment_expire(*, punishment_id: int) -> bool:
    """Ends a punishment whose time is up, once. Publishes `punishment:expired` to everyone."""
    if not Punishment.objects.filter(pk=punishment_id, active=True).update(active=False):
        return False
    punishment = Punishment.objects.select_related("target").get(pk=punishment_id)
    audit_record(
        kind=Kind.PUNISHMENT_EXPIRED,
        target=punishment.target,
        room_id=punishment.source_room_id,
        room_name=punishment.source_room_name,
        detail=f"Punishment {punishment.pk}, after {duration_words(punishment.duration_secs)}",
    )
    publish(
        PunishmentExpired(
            punishmentId=punishment.pk,
            targetUserId=punishment.target_id,
            sourceRoomId=punishment.source_pk,
            sourceRoomName=punishment.source_room_name,
        ),
        to=Everyone(),
    )
    return True


def punishments_expire_due(*, now: datetime) -> None:
    """Scheduler job: ends every punishment past its end, each claimed once."""
    due = Punishment.objects.filter(active=True, expires_at__lte=now).values_list("pk", flat=True)
    each_due(due, lambda pk: punishment_expire(punishment_id=pk), what="Expiring punishment")


def punishment_join_guard(*, user: User, room: Room) -> None:
    """Join guard: a jailed user may join only their jail room (1.x blocked only the source)."""
    jail = jail_in_force_for(user_id=user.pk)
    if jail is None or jail[0] == room.pk:
        return
    jail_room_id, ends = jail
    raise Forbidden(
        "You are currently punished from this room",
        extra={
            "punishment": JoinRefusedPunishment(
                expiresAt=sql_ts(ends) or "", jailRoomId=jail_room_id
            )
        },
    )


def punishment_enforce_livekit(*, identity: str, livekit_room: str) -> None:
    """A participant joined a LiveKit room (its webhook): a jailed user anywhere but their jail
    is removed again (room service, after commit, retried until the jail ends)."""
    user = User.objects.filter(username=identity).first()
    if user is None:
        return
    punishment = punishment_in_force_for(user_id=user.pk)
    if punishment is not None and punishment.jail.name != livekit_room:
        logger.info("Removing a jailed participant from LiveKit room %s", livekit_room)
        outbox.remove_participant(
            room_name=livekit_room, identity=identity, until=punishment.expires_at
        )
