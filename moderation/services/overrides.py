"""Staff overrides on rooms, for the admin: set a room's creator, remove someone from LiveKit.

(Cancelling votes and lifting punishments are in `votes` and `punishments`; resetting whispers
is `rooms.services.whispers.whispers_reset`.)
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from audit.services import Kind, audit_record
from core.errors import BadRequest, Forbidden
from moderation.permissions import can_moderate_rooms
from realtime.events import RoomUpdated
from realtime.publish import Everyone, publish
from rooms.models import Room
from rooms.selectors import room_row
from sfu import outbox


@transaction.atomic
def room_creator_set(*, room: Room, creator: User | None, actor: User) -> Room:
    """Makes `creator` (or nobody) the room's creator, who may delete it and lift its
    punishments; General has none until staff sets one. Publishes `room:updated`."""
    if not can_moderate_rooms(actor):
        raise Forbidden("Only staff can set a room's creator")
    locked = Room.objects.select_for_update().get(pk=room.pk)
    if locked.created_by_id == (creator.pk if creator else None):
        return locked
    locked.created_by = creator
    locked.save(update_fields=["created_by"])
    audit_record(
        kind=Kind.ROOM_CREATOR_SET,
        actor=actor,
        target=creator,
        room_id=locked.pk,
        room_name=locked.name,
        detail=f"Now {creator.username}" if creator else "Now nobody",
        override=True,
    )
    publish(RoomUpdated(room=room_row(locked)), to=Everyone())
    return locked


@transaction.atomic
def livekit_participant_remove(*, room: Room, identity: str, actor: User) -> None:
    """Disconnects `identity` from the room's LiveKit room (room service, after commit, retried
    until LiveKit takes it). Membership follows from LiveKit's participant_left webhook."""
    if not can_moderate_rooms(actor):
        raise Forbidden("Only staff can remove participants from LiveKit")
    if not identity.strip():
        raise BadRequest("A participant identity is required")
    outbox.remove_participant(room_name=room.name, identity=identity.strip())
    audit_record(
        kind=Kind.LIVEKIT_REMOVAL,
        actor=actor,
        target=User.objects.filter(username=identity.strip()).first(),
        room_id=room.pk,
        room_name=room.name,
        detail=f"Participant {identity.strip()}",
        override=True,
    )
