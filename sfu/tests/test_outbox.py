"""The outbox on its own: what a removal and a subscription sync owe LiveKit, and when they
stop being owed, against the local room service of harness/fake_livekit.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction
from django.utils import timezone

from sfu import livekit, outbox
from sfu.models import LiveKitAction

pytestmark = pytest.mark.django_db(transaction=True)


def _owed(**filters):
    return LiveKitAction.objects.filter(done=False, **filters)


def test_a_removal_is_tried_right_after_commit(fake_livekit):
    fake_livekit.add_participant("Lounge", "mallory")
    with transaction.atomic():
        outbox.remove_participant(room_name="Lounge", identity="mallory")
        assert fake_livekit.requests("RemoveParticipant") == []  # not before commit
    assert fake_livekit.identities("Lounge") == []
    assert LiveKitAction.objects.get().done


def test_a_removal_owed_until_a_date_is_dropped_once_it_passes(fake_livekit):
    fake_livekit.fail(status=503, code="unavailable", times=1)
    ends = timezone.now() + timedelta(minutes=1)
    outbox.remove_participant(room_name="Lounge", identity="mallory", until=ends)
    assert _owed().count() == 1

    outbox.actions_run_due(now=ends + timedelta(seconds=1))

    assert fake_livekit.requests("RemoveParticipant") == []
    assert _owed().count() == 0


def test_a_removal_owed_until_a_date_is_retried_until_then(fake_livekit):
    fake_livekit.fail(status=503, code="unavailable", times=outbox.MAX_ATTEMPTS + 2)
    ends = timezone.now() + timedelta(hours=1)
    outbox.remove_participant(room_name="Lounge", identity="mallory", until=ends)
    for _ in range(outbox.MAX_ATTEMPTS + 1):
        outbox.actions_run_due(now=_owed().get().due_at)

    action = _owed().get()  # still owed: a jail's kick is never given up while it lasts
    assert action.attempts == outbox.MAX_ATTEMPTS + 2


def test_cancelling_drops_only_that_identitys_dated_removals(fake_livekit):
    fake_livekit.fail(status=503, code="unavailable", times=3)
    until = timezone.now() + timedelta(minutes=5)
    outbox.remove_participant(room_name="Lounge", identity="mallory", until=until)
    outbox.remove_participant(room_name="Lounge", identity="mallory")  # a staff removal
    outbox.remove_participant(room_name="Lounge", identity="bob", until=until)

    assert outbox.removals_cancel(identity="mallory") == 1

    assert sorted(_owed().values_list("identity", "until")) == [
        ("bob", until),
        ("mallory", None),
    ]


def test_a_newer_chain_replaces_an_owed_sync(fake_livekit):
    outbox.subscriptions_sync(room_name="Lounge", chain=["alice", "bob"])
    outbox.subscriptions_sync(room_name="Lounge", chain=["bob", "alice", "carol"])
    outbox.subscriptions_sync(room_name="Other", chain=[])

    lounge = _owed(room_name="Lounge").get()
    assert (lounge.chain, lounge.revision) == (["bob", "alice", "carol"], 1)
    assert _owed().count() == 2
    assert fake_livekit.calls == []  # the scheduler's job, never the caller's


def test_a_chain_that_changes_during_a_pass_is_owed_again_at_once(fake_livekit, monkeypatch):
    for name in ("alice", "bob", "carol"):
        fake_livekit.add_participant("Lounge", name, audio_tracks=[f"TR_{name}"])
    outbox.subscriptions_sync(room_name="Lounge", chain=["alice", "bob"])
    real_list = livekit.list_participants

    async def changed_meanwhile(*, room_name):
        # Someone joins while the pass is under way: a newer chain is recorded.
        await sync_to_async(outbox.subscriptions_sync)(
            room_name="Lounge", chain=["alice", "bob", "carol"]
        )
        return await real_list(room_name=room_name)

    monkeypatch.setattr(livekit, "list_participants", changed_meanwhile)
    outbox.actions_run_due(now=timezone.now())
    monkeypatch.setattr(livekit, "list_participants", real_list)

    action = _owed().get()
    assert (action.chain, action.due_at <= timezone.now()) == (["alice", "bob", "carol"], True)
    fake_livekit.calls.clear()
    outbox.actions_run_due(now=timezone.now())

    assert _owed().count() == 0
    carol = [r for r in fake_livekit.requests("UpdateSubscriptions") if r.identity == "carol"]
    assert {sid for r in carol if r.subscribe for sid in r.track_sids} == {"TR_bob"}


def test_calls_taken_over_a_day_ago_are_forgotten_but_not_on_every_tick(fake_livekit, monkeypatch):
    monkeypatch.setattr(outbox, "_next_forget", 0.0)
    now = timezone.now()
    old = LiveKitAction.objects.create(
        kind=LiveKitAction.Kind.REMOVE_PARTICIPANT,
        room_name="Lounge",
        identity="a",
        done=True,
        due_at=now - timedelta(days=2),
    )
    outbox.actions_run_due(now=now)
    assert not LiveKitAction.objects.filter(pk=old.pk).exists()

    # A second old row within the minute waits for the next pass, a minute on.
    later = LiveKitAction.objects.create(
        kind=LiveKitAction.Kind.REMOVE_PARTICIPANT,
        room_name="Lounge",
        identity="b",
        done=True,
        due_at=now - timedelta(days=2),
    )
    outbox.actions_run_due(now=now + timedelta(seconds=30))
    assert LiveKitAction.objects.filter(pk=later.pk).exists()
    outbox.actions_run_due(now=now + timedelta(seconds=61))
    assert not LiveKitAction.objects.filter(pk=later.pk).exists()
