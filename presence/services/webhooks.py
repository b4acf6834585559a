"""LiveKit's webhooks, reconciled with our rooms: who LiveKit says left, who came back while
jailed, and whose audio a whispers room must realign."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from core.errors import Unauthorized
from core.retry import retry_transaction
from moderation.services.punishments import punishment_enforce_livekit
from presence.models import Connection
from rooms.models import Membership, Room
from rooms.services.membership import membership_end
from rooms.services.whispers import whispers_resync
from sfu.livekit import InvalidWebhook, webhook_event

# Newer LiveKit servers report a participant whose connection dropped as aborted, not left.
PARTICIPANT_LEFT = ("participant_left", "participant_connection_aborted")


def livekit_webhook_receive(*, body: str, authorization: str | None) -> str:
    """Verifies a LiveKit webhook and reconciles with it: `participant_left` ends a membership
    whose user has no live connection (`user:room_leave`); `participant_joined` removes a
    jailed user again, and it and `track_published` realign a whispers room's subscriptions.
    Raises Unauthorized (nothing changes) when the signature or body hash is wrong. Returns
    the event's name."""
    try:
        event = webhook_event(body=body, authorization=authorization)
    except InvalidWebhook as exc:
        raise Unauthorized("Invalid webhook signature") from exc
    if event.identity and event.room_name:
        if event.event in PARTICIPANT_LEFT:
            _end_membership_if_disconnected(identity=event.identity, livekit_room=event.room_name)
        elif event.event == "participant_joined":
            punishment_enforce_livekit(identity=event.identity, livekit_room=event.room_name)
            whispers_resync(room_name=event.room_name)
    if event.event == "track_published" and event.room_name:
        whispers_resync(room_name=event.room_name)
    return event.event


@retry_transaction
@transaction.atomic
def _end_membership_if_disconnected(*, identity: str, livekit_room: str) -> None:
    # LiveKit identities are usernames in their stored casing (see sfu.livekit).
    user = User.objects.filter(username=identity).first()
    room = Room.objects.filter(name=livekit_room).first()
    if user is None or room is None:
        return
    if not Membership.objects.filter(user=user, room=room).exists():
        return
    if Connection.objects.filter(user=user).exists():
        return
    membership_end(user=user)
