"""What happens when a vote passes: the jail room, the punishment, the move and the kick."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from realtime.events import PunishmentStarted, RoomCreated
from realtime.payloads import JailConnection
from realtime.publish import Everyone, Users, publish
from rooms.membership import membership_enter
from rooms.models import Room
from rooms.selectors import room_row
from rooms.services import room_credentials

from . import livekit_outbox
from .models import Punishment, Vote
from .selectors import punishment_payload

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
    # The target's last room stays the source room, so they return there when released.
    membership_enter(user=target, room=jail)
    livekit_outbox.remove_jailed(room_name=source.name, identity=target.username)
    payload = punishment_payload(punishment)
    publish(PunishmentStarted(punishment=payload), to=Everyone(exclude_user_id=target.pk))
    publish(
        PunishmentStarted(punishment=payload, jailConnection=_jail_connection(jail, target)),
        to=Users.one(target.pk),
    )
    return punishment


def _jail_connection(jail: Room, target: User) -> JailConnection:
    credentials = room_credentials(room=jail, user=target)
    return {
        "token": credentials["token"],
        "e2eeKey": credentials["e2eeKey"],
        "room": {"id": jail.pk, "name": jail.name, "type": jail.type},
        "wsUrl": credentials["wsUrl"],
    }
