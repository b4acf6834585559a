"""Room-service calls moderation owes LiveKit, checked against a real local room service that
decodes LiveKit's protobufs and verifies our tokens (harness/fake_livekit.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.scheduler import run_jobs
from moderation.models import Punishment
from moderation.services.punishments import punishment_enforce_livekit, punishment_lift
from moderation.services.votes import ballot_cast, vote_start
from rooms.selectors import whisper_chain
from rooms.services.membership import membership_end, membership_enter
from rooms.services.whispers import whispers_mode_set, whispers_resync
from sfu.models import LiveKitAction
from sfu.outbox import action_attempt, remove_participant

pytestmark = pytest.mark.django_db(transaction=True)


def _jail(target, voters):
    vote = vote_start(user=voters[0], target_user_id=target.pk, duration_secs=60)
    for voter in voters[1:]:
        ballot_cast(vote_id=vote.pk, user=voter, vote_yes=True)
    return Punishment.objects.get(vote=vote)


def test_jailing_removes_the_target_from_the_source_livekit_room(
    fake_livekit, seated, alice, bob, carol, mallory
):
    fake_livekit.add_participant("Lounge", "mallory", audio_tracks=["TR_m"])
    fake_livekit.add_participant("Lounge", "alice", audio_tracks=["TR_a"])

    _jail(mallory, [alice, bob, carol])

    [request] = fake_livekit.requests("RemoveParticipant")
    assert (request.room, request.identity) == ("Lounge", "mallory")
    [call] = [c for c in fake_livekit.calls if c.method == "RemoveParticipant"]
    assert (call.grants.room_admin, call.grants.room) == (True, "Lounge")
    assert fake_livekit.identities("Lounge") == ["alice"]
    assert LiveKitAction.objects.get().done


def test_a_livekit_outage_never_loses_the_kick(fake_livekit, seated, alice, bob, carol, mallory):
    fake_livekit.add_participant("Lounge", "mallory")
    fake_livekit.fail(status=503, code="unavailable", times=1)

    punishment = _jail(mallory, [alice, bob, carol])

    assert Punishment.objects.get().active  # the punishment stands although LiveKit failed
    action = LiveKitAction.objects.get()
    assert (action.done, action.attempts) == (False, 1)
    assert "HTTP 503" in action.last_error
    assert fake_livekit.identities("Lounge") == ["mallory"]

    run_jobs(now=timezone.now())  # not due yet: the retry waits a moment
    assert fake_livekit.requests("RemoveParticipant") == []
    run_jobs(now=action.due_at)

    assert fake_livekit.identities("Lounge") == []
    action.refresh_from_db()
    assert (action.done, action.attempts) == (True, 2)
    assert punishment.pk


def test_a_retry_after_the_punishment_ended_does_not_kick(
    fake_livekit, seated, alice, bob, carol, mallory
):
    fake_livekit.fail(status=503, code="unavailable", times=1)
    punishment = _jail(mallory, [alice, bob, carol])
    punishment_lift(punishment_id=punishment.pk, actor=alice)
    fake_livekit.add_participant("Lounge", "mallory")  # back legitimately

    run_jobs(now=timezone.now() + timedelta(minutes=5))

    assert fake_livekit.requests("RemoveParticipant") == []
    assert fake_livekit.identities("Lounge") == ["mallory"]
    assert LiveKitAction.objects.get().done


def test_a_claimed_attempt_is_not_run_twice(fake_livekit, db):
    fake_livekit.add_participant("Lounge", "mallory")
    remove_participant(room_name="Lounge", identity="mallory")  # runs at once (no transaction)
    action = LiveKitAction.objects.get()
    assert action_attempt(action_id=action.pk, now=timezone.now() + timedelta(hours=1)) is False
    assert len(fake_livekit.requests("RemoveParticipant")) == 1


def test_webhook_showing_a_jailed_user_back_removes_them_again(
    fake_livekit, seated, alice, bob, carol, mallory
):
    _jail(mallory, [alice, bob, carol])
    fake_livekit.calls.clear()
    fake_livekit.add_participant("Lounge", "mallory")
    fake_livekit.add_participant("Elsewhere", "mallory")
    fake_livekit.add_participant("Jail: Lounge", "mallory")

    punishment_enforce_livekit(identity="mallory", livekit_room="Lounge")
    punishment_enforce_livekit(identity="mallory", livekit_room="Elsewhere")
    punishment_enforce_livekit(identity="mallory", livekit_room="Jail: Lounge")

    removed = [(r.room, r.identity) for r in fake_livekit.requests("RemoveParticipant")]
    assert removed == [("Lounge", "mallory"), ("Elsewhere", "mallory")]
    assert fake_livekit.identities("Jail: Lounge") == ["mallory"]


def test_webhook_for_a_free_user_changes_nothing(fake_livekit, seated, bob):
    fake_livekit.add_participant("Lounge", "bob")
    punishment_enforce_livekit(identity="bob", livekit_room="Lounge")
    punishment_enforce_livekit(identity="nobody", livekit_room="Lounge")
    assert fake_livekit.methods() == []


def _subscriptions(fake_livekit):
    """identity -> (subscribed sids, unsubscribed sids) from the recorded calls."""
    result: dict[str, tuple[set[str], set[str]]] = {}
    for request in fake_livekit.requests("UpdateSubscriptions"):
        subscribed, unsubscribed = result.setdefault(request.identity, (set(), set()))
        (subscribed if request.subscribe else unsubscribed).update(request.track_sids)
    return result


def test_whispers_subscribes_each_member_only_to_its_predecessor(
    fake_livekit, lounge, alice, bob, carol
):
    for user in (alice, bob, carol):
        membership_enter(user=user, room=lounge)
        fake_livekit.add_participant(
            "Lounge", user.username, audio_tracks=[f"TR_{user.username}"], video_tracks=["TV"]
        )

    chain = whispers_mode_set(room_id=lounge.pk, user=alice, mode="whispers")
    run_jobs(now=timezone.now())
    assert chain is not None

    names = [entry["username"] for entry in chain]
    assert fake_livekit.methods()[0] == "ListParticipants"
    calls = fake_livekit.calls
    assert all(c.grants.room_admin and c.grants.room == "Lounge" for c in calls)
    subscriptions = _subscriptions(fake_livekit)
    for index, name in enumerate(names):
        predecessor = names[index - 1]
        others = {f"TR_{n}" for n in names if n not in (name, predecessor)}
        assert subscriptions[name] == ({f"TR_{predecessor}"}, others)
    assert LiveKitAction.objects.filter(done=False).count() == 0


def test_whispers_off_restores_every_subscription(fake_livekit, lounge, alice, bob, carol):
    for user in (alice, bob, carol):
        membership_enter(user=user, room=lounge)
        fake_livekit.add_participant("Lounge", user.username, audio_tracks=[f"TR_{user.pk}"])
    whispers_mode_set(room_id=lounge.pk, user=alice, mode="whispers")
    fake_livekit.calls.clear()

    whispers_mode_set(room_id=lounge.pk, user=bob, mode="normal")
    assert fake_livekit.calls == []  # the scheduler's job, never the request's
    run_jobs(now=timezone.now())

    subscriptions = _subscriptions(fake_livekit)
    assert subscriptions["alice"] == ({f"TR_{bob.pk}", f"TR_{carol.pk}"}, set())
    assert subscriptions["carol"] == ({f"TR_{alice.pk}", f"TR_{bob.pk}"}, set())


def test_chain_changes_realign_subscriptions(fake_livekit, lounge, alice, bob, carol, dave):
    for user in (alice, bob, carol):
        membership_enter(user=user, room=lounge)
        fake_livekit.add_participant("Lounge", user.username, audio_tracks=[f"TR_{user.pk}"])
    whispers_mode_set(room_id=lounge.pk, user=alice, mode="whispers")
    lounge.refresh_from_db()

    membership_enter(user=dave, room=lounge)
    fake_livekit.add_participant("Lounge", "dave", audio_tracks=[f"TR_{dave.pk}"])
    fake_livekit.calls.clear()
    whispers_resync(room_name="Lounge")  # dave's participant_joined webhook
    run_jobs(now=timezone.now())

    chain = [entry["username"] for entry in whisper_chain(lounge.pk)]
    assert chain[-1] == "dave"
    subscriptions = _subscriptions(fake_livekit)
    pks = {user.username: user.pk for user in (alice, bob, carol, dave)}
    assert subscriptions["dave"][0] == {f"TR_{pks[chain[-2]]}"}

    fake_livekit.calls.clear()
    membership_end(user=bob)
    run_jobs(now=timezone.now())
    assert "ListParticipants" in fake_livekit.methods()


def test_a_subscription_failure_never_fails_the_mode_change(fake_livekit, lounge, alice, bob):
    for user in (alice, bob):
        membership_enter(user=user, room=lounge)
    fake_livekit.add_participant("Lounge", "alice", audio_tracks=["TR_a"])
    fake_livekit.fail(status=500, code="internal")

    chain = whispers_mode_set(room_id=lounge.pk, user=alice, mode="whispers")

    assert chain is not None
    assert len(chain) == 2
    run_jobs(now=timezone.now())
    pending = LiveKitAction.objects.get(done=False)
    assert pending.attempts == 1
    assert pending.kind == LiveKitAction.Kind.SYNC_SUBSCRIPTIONS
    fake_livekit.recover()
    run_jobs(now=pending.due_at)
    assert LiveKitAction.objects.filter(done=False).count() == 0
    assert fake_livekit.requests("ListParticipants")
