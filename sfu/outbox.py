"""Room-service calls owed to LiveKit, kept in the database until LiveKit has taken them.

A call is recorded in the transaction that makes it necessary and made by the deadline
scheduler (a removal is also tried right after commit, as 1.x kicked before answering);
failures are retried with a growing delay, so a LiveKit outage never loses a kick and never
fails or holds up the request that caused it. An attempt claims its row by pushing `due_at`
forward with a conditional write, so two processes never run the same one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from asgiref.sync import async_to_sync
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import livekit
from .models import LiveKitAction
from .subscriptions import subscription_plan

logger = logging.getLogger(__name__)

# Long enough for any attempt to finish (calls time out after a few seconds) before another
# process may take the row again.
LEASE = timedelta(seconds=30)
MAX_BACKOFF_SECONDS = 60
# Calls without an end date are given up after this many attempts; removals owed until a
# jail's end are retried until then.
MAX_ATTEMPTS = 10
KEEP_DONE = timedelta(days=1)
# Forgetting old calls is a write transaction; kept by the day, it need not run every tick
# (four a second, each taking SQLite's write lock from the joins).
FORGET_EVERY_SECONDS = 60.0
BATCH = 100
_next_forget = 0.0


def remove_participant(*, room_name: str, identity: str, until: datetime | None = None) -> None:
    """Owes LiveKit the removal of `identity` from `room_name`: tried right after commit, then
    retried, until `until` when given (a jail's end), else up to MAX_ATTEMPTS times."""
    action = LiveKitAction.objects.create(
        kind=LiveKitAction.Kind.REMOVE_PARTICIPANT,
        room_name=room_name,
        identity=identity,
        until=until,
    )
    transaction.on_commit(lambda: action_attempt(action_id=action.pk), robust=True)


def removals_cancel(*, identity: str) -> int:
    """Drops the removals of `identity` still owed until a date (their jail ended, so a retry
    must not kick them from a room they may now join). Returns how many were dropped."""
    return LiveKitAction.objects.filter(
        kind=LiveKitAction.Kind.REMOVE_PARTICIPANT,
        identity=identity,
        done=False,
        until__isnull=False,
    ).update(done=True, last_error="cancelled: no longer owed")


def subscriptions_sync(*, room_name: str, chain: Sequence[str]) -> None:
    """Owes LiveKit one pass that aligns the room's audio subscriptions with `chain` (LiveKit
    identities in order; empty restores everyone hearing everyone), made by the next scheduler
    tick. A newer chain replaces an owed older one, so a burst of changes costs one pass."""
    owed = LiveKitAction.objects.filter(
        kind=LiveKitAction.Kind.SYNC_SUBSCRIPTIONS, room_name=room_name, done=False
    )
    if owed.update(chain=list(chain), revision=F("revision") + 1):
        return
    try:
        with transaction.atomic():
            LiveKitAction.objects.create(
                kind=LiveKitAction.Kind.SYNC_SUBSCRIPTIONS, room_name=room_name, chain=list(chain)
            )
    except IntegrityError:
        # Another process recorded one in between: one owed sync per room, so update it.
        owed.update(chain=list(chain), revision=F("revision") + 1)


def metadata_update(*, room_name: str, identity: str, metadata: str) -> None:
    """Owes LiveKit setting `identity`'s participant metadata in `room_name`: tried right after
    commit, then retried. A newer value replaces an owed older one, so only the last is sent."""
    owed = LiveKitAction.objects.filter(
        kind=LiveKitAction.Kind.UPDATE_METADATA, identity=identity, done=False
    )
    action = owed.first()
    if action is None:
        action = LiveKitAction.objects.create(
            kind=LiveKitAction.Kind.UPDATE_METADATA,
            room_name=room_name,
            identity=identity,
            metadata=metadata,
        )
    else:
        # The revision makes an attempt already under way with the older value count as stale.
        owed.filter(pk=action.pk).update(
            room_name=room_name, metadata=metadata, revision=F("revision") + 1
        )
    action_id = action.pk
    transaction.on_commit(lambda: action_attempt(action_id=action_id), robust=True)


def actions_run_due(*, now: datetime) -> None:
    """Scheduler job: attempts every owed call whose time has come, and forgets calls LiveKit
    took more than a day ago (at most once a minute per process)."""
    global _next_forget
    if now.timestamp() >= _next_forget:
        _next_forget = now.timestamp() + FORGET_EVERY_SECONDS
        LiveKitAction.objects.filter(done=True, due_at__lt=now - KEEP_DONE).delete()
    due = LiveKitAction.objects.filter(done=False, due_at__lte=now).order_by("due_at", "pk")
    for action_id in due.values_list("pk", flat=True)[:BATCH]:
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
    if action.until is not None and action.until <= now:
        _finish(action, note="no longer owed")
        return False
    try:
        _perform(action)
    except Exception as exc:
        _failed(action, exc)
        return False
    return _finish(action)


def _perform(action: LiveKitAction) -> None:
    if action.kind == LiveKitAction.Kind.SYNC_SUBSCRIPTIONS:
        async_to_sync(_sync_subscriptions)(action.room_name, list(action.chain))
    elif action.kind == LiveKitAction.Kind.UPDATE_METADATA:
        async_to_sync(livekit.update_metadata)(
            room_name=action.room_name, identity=action.identity, metadata=action.metadata
        )
    else:
        async_to_sync(livekit.remove_participant)(
            room_name=action.room_name, identity=action.identity
        )


def _finish(action: LiveKitAction, *, note: str = "") -> bool:
    # Conditional on the revision the attempt used: a chain that changed meanwhile is owed
    # again at once instead of being marked as applied.
    if LiveKitAction.objects.filter(pk=action.pk, revision=action.revision).update(
        done=True, last_error=note
    ):
        return not note
    LiveKitAction.objects.filter(pk=action.pk).update(due_at=timezone.now())
    return False


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
    gave_up = action.until is None and action.attempts >= MAX_ATTEMPTS
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
