"""Room-service calls owed to LiveKit, kept in the database until LiveKit has taken them.

A call is recorded in the transaction that makes it necessary and made by the deadline
scheduler (a kick is also tried right after commit, as 1.x kicked before answering); failures
are retried with a growing delay, so a LiveKit outage never loses a kick and never fails or
holds up the request that caused it. An attempt claims its row by
pushing `due_at` forward with a conditional write, so two processes never run the same one.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from asgiref.sync import async_to_sync
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from rooms import livekit
from rooms.models import Room
from rooms.selectors import whisper_chain
from rooms.whispers import subscription_plan

from .models import LiveKitAction, Punishment

logger = logging.getLogger(__name__)

# Long enough for any attempt to finish (calls time out after a few seconds) before another
# process may take the row again.
LEASE = timedelta(seconds=30)
MAX_BACKOFF_SECONDS = 60
# Kicks of jailed users are retried until the punishment ends instead.
MAX_ATTEMPTS = 10
KEEP_DONE = timedelta(days=1)


def remove_jailed(*, room_name: str, identity: str) -> None:
    """Owes LiveKit the removal of a jailed `identity` from `room_name`; tried after commit,
    then retried while they are still jailed from that room."""
    _enqueue(LiveKitAction.Kind.REMOVE_JAILED, room_name=room_name, identity=identity, now=True)


def remove_participant(*, room_name: str, identity: str) -> None:
    """Owes LiveKit the removal of `identity` from `room_name`; tried after commit, retried."""
    _enqueue(
        LiveKitAction.Kind.REMOVE_PARTICIPANT, room_name=room_name, identity=identity, now=True
    )


def whispers_sync(*, room_name: str) -> None:
    """Owes LiveKit one pass that aligns the room's audio subscriptions with its whispers chain
    (or restores them all in normal mode), made by the next scheduler tick; a pass not yet
    started already covers a new change, so a burst of joins costs one pass."""
    pending = LiveKitAction.objects.filter(
        kind=LiveKitAction.Kind.SYNC_SUBSCRIPTIONS, room_name=room_name, done=False, attempts=0
    )
    if not pending.exists():
        _enqueue(LiveKitAction.Kind.SYNC_SUBSCRIPTIONS, room_name=room_name)


def whispers_sync_room_id(room_id: int) -> None:
    """`whispers_sync` for a room id (the whispers chain calls this on every change)."""
    name = Room.objects.filter(pk=room_id).values_list("name", flat=True).first()
    if name is not None:
        whispers_sync(room_name=name)


def _enqueue(kind: str, *, room_name: str, identity: str = "", now: bool = False) -> None:
    action = LiveKitAction.objects.create(kind=kind, room_name=room_name, identity=identity)
    if now:
        transaction.on_commit(lambda: action_attempt(action_id=action.pk), robust=True)


def actions_run_due(*, now: datetime) -> None:
    """Attempts every owed call whose time has come (a scheduler tick), and forgets calls
    LiveKit took more than a day ago."""
    LiveKitAction.objects.filter(done=True, due_at__lt=now - KEEP_DONE).delete()
    due = LiveKitAction.objects.filter(done=False, due_at__lte=now).order_by("due_at", "pk")
    for action_id in due.values_list("pk", flat=True)[:100]:
        action_attempt(action_id=action_id, now=now)


def action_attempt(*, action_id: int, now: datetime | None = None) -> bool:
    """Claims and makes one owed call; True if LiveKit took it. Failures are logged and the
    row is left for a later attempt."""
    now = now or timezone.now()
    claimed = LiveKitAction.objects.filter(pk=action_id, done=False, due_at__lte=now).update(
        due_at=now + LEASE, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    action = LiveKitAction.objects.get(pk=action_id)
    try:
        _perform(action)
    except Exception as exc:
        _failed(action, exc)
        return False
    LiveKitAction.objects.filter(pk=action_id).update(done=True, last_error="")
    return True


def _perform(action: LiveKitAction) -> None:
    if action.kind == LiveKitAction.Kind.SYNC_SUBSCRIPTIONS:
        room = Room.objects.filter(name=action.room_name).first()
        if room is None:
            return
        chain = []
        if room.mode == Room.Mode.WHISPERS:
            chain = [entry["username"] for entry in whisper_chain(room.pk)]
        async_to_sync(_sync_subscriptions)(room.name, chain)
        return
    if action.kind == LiveKitAction.Kind.REMOVE_JAILED and not _still_jailed(action):
        return
    async_to_sync(livekit.remove_participant)(room_name=action.room_name, identity=action.identity)


def _still_jailed(action: LiveKitAction) -> bool:
    # A retry must not kick someone whose punishment ended and who came back legitimately.
    user = User.objects.filter(username=action.identity).first()
    if user is None:
        return False
    in_force = Punishment.objects.filter(
        target=user, active=True, expires_at__gt=timezone.now()
    ).exclude(jail_room__name=action.room_name)
    return in_force.exists()


async def _sync_subscriptions(room_name: str, chain: list[str]) -> None:
    participants = await livekit.list_participants(room_name=room_name)
    plan = subscription_plan(
        chain=chain, audio_tracks={p.identity: p.audio_track_sids for p in participants}
    )
    for identity, (subscribe, unsubscribe) in plan.items():
        if unsubscribe:
            await livekit.update_subscriptions(
                room_name=room_name, identity=identity, track_sids=unsubscribe, subscribe=False
            )
        if subscribe:
            await livekit.update_subscriptions(
                room_name=room_name, identity=identity, track_sids=subscribe, subscribe=True
            )


def _failed(action: LiveKitAction, exc: Exception) -> None:
    reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    gave_up = action.kind != LiveKitAction.Kind.REMOVE_JAILED and action.attempts >= MAX_ATTEMPTS
    delay = min(2 ** (action.attempts - 1), MAX_BACKOFF_SECONDS)
    LiveKitAction.objects.filter(pk=action.pk).update(
        last_error=reason, done=gave_up, due_at=timezone.now() + timedelta(seconds=delay)
    )
    if gave_up:
        logger.error("Gave up on LiveKit %s after %d attempts: %s", action, action.attempts, reason)
    elif isinstance(exc, livekit.LiveKitError):
        logger.warning(
            "LiveKit %s failed (attempt %d), retrying: %s", action, action.attempts, reason
        )
    else:
        logger.exception("LiveKit %s failed unexpectedly (attempt %d)", action, action.attempts)
