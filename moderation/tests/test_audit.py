"""Every moderation action writes its audit log row, in its own transaction: who did it, to
whom, where, and whether it took staff power."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from core.errors import Conflict, Forbidden
from moderation.models import Punishment
from moderation.services.overrides import livekit_participant_remove, room_creator_set
from moderation.services.punishments import punishment_expire, punishment_lift
from moderation.services.votes import ballot_cast, vote_cancel, vote_resolve, vote_start
from rooms.models import Room

pytestmark = pytest.mark.django_db


def log() -> list[tuple[str, str, str, str, str, bool]]:
    rows = AuditEntry.objects.order_by("id").values_list(
        "kind", "actor_name", "target_name", "room_name", "detail", "override"
    )
    return list(rows)


@pytest.fixture
def steward(make_user):
    user = make_user("steward", "Steward")
    user.is_staff = True
    user.save()
    return user


def test_a_vote_that_jails_and_a_lift_by_the_creator(seated, alice, bob, carol, dave, mallory):
    vote = vote_start(user=bob, target_user_id=mallory.pk, duration_secs=300)
    ballot_cast(vote_id=vote.pk, user=carol, vote_yes=False)
    ballot_cast(vote_id=vote.pk, user=alice, vote_yes=True)
    ballot_cast(vote_id=vote.pk, user=dave, vote_yes=True)
    punishment = Punishment.objects.get(vote=vote)
    punishment_lift(punishment_id=punishment.pk, actor=alice)

    v = vote.pk
    assert log() == [
        ("vote_started", "bob", "mallory", "Lounge", f"Vote {v}: jail for 5 minutes", False),
        ("ballot_cast", "carol", "mallory", "Lounge", f"Vote {v}: no", False),
        ("ballot_cast", "alice", "mallory", "Lounge", f"Vote {v}: yes", False),
        ("ballot_cast", "dave", "mallory", "Lounge", f"Vote {v}: yes", False),
        ("vote_resolved", "", "mallory", "Lounge", f"Vote {v} passed: 3 yes, 1 no of 4", False),
        ("jailed", "", "mallory", "Lounge", f"For 5 minutes, by vote {v}", False),
        ("punishment_lifted", "alice", "mallory", "Lounge", f"Punishment {punishment.pk}", False),
    ]
    assert {e.room_id for e in AuditEntry.objects.all()} == {seated.pk}


def test_a_vote_failing_at_its_deadline_and_a_punishment_running_out(
    seated, alice, bob, carol, mallory
):
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    AuditEntry.objects.all().delete()
    vote_resolve(vote_id=vote.pk)
    failed = log()
    jailing = vote_start(user=alice, target_user_id=bob.pk, duration_secs=60)
    for voter in (carol, mallory):
        ballot_cast(vote_id=jailing.pk, user=voter, vote_yes=True)
    punishment = Punishment.objects.get(vote=jailing)
    AuditEntry.objects.all().delete()

    punishment_expire(punishment_id=punishment.pk)

    assert failed == [
        (
            "vote_resolved",
            "",
            "mallory",
            "Lounge",
            f"Vote {vote.pk} failed: 1 yes, 0 no of 4",
            False,
        )
    ]
    detail = f"Punishment {punishment.pk}, after 1 minute"
    assert log() == [("punishment_expired", "", "bob", "Lounge", detail, False)]


def test_staff_overrides_are_marked(seated, steward, alice, bob, carol, mallory):
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    vote_cancel(vote_id=vote.pk, actor=steward)
    cancelled = AuditEntry.objects.filter(kind="vote_cancelled").get()
    jailing = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    for voter in (bob, carol):
        ballot_cast(vote_id=jailing.pk, user=voter, vote_yes=True)
    punishment = Punishment.objects.get(vote=jailing)
    AuditEntry.objects.all().delete()

    punishment_lift(punishment_id=punishment.pk, actor=steward)
    room_creator_set(room=seated, creator=bob, actor=steward)
    livekit_participant_remove(room=seated, identity="mallory", actor=steward)

    assert log() == [
        ("punishment_lifted", "steward", "mallory", "Lounge", f"Punishment {punishment.pk}", True),
        ("room_creator_set", "steward", "bob", "Lounge", "Now bob", True),
        ("livekit_removal", "steward", "mallory", "Lounge", "Participant mallory", True),
    ]
    assert (cancelled.actor, cancelled.override) == (steward, True)
    assert cancelled.detail == f"Vote {vote.pk} cancelled: 1 yes, 0 no of 4"


def test_a_refused_action_writes_nothing(seated, alice, bob, mallory):
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    AuditEntry.objects.all().delete()
    with pytest.raises(Forbidden, match="Only staff can cancel votes"):
        vote_cancel(vote_id=vote.pk, actor=bob)
    with pytest.raises(Conflict, match="already voted"):
        ballot_cast(vote_id=vote.pk, user=alice, vote_yes=True)
    assert log() == []


def test_a_room_deletion_ends_its_vote_and_jail_in_the_log_and_keeps_its_name(
    seated, alice, bob, carol, dave, mallory
):
    from rooms.services.rooms import room_delete

    jailing = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=900)
    for voter in (bob, carol):
        ballot_cast(vote_id=jailing.pk, user=voter, vote_yes=True)
    punishment = Punishment.objects.get(vote=jailing)
    open_vote = vote_start(user=bob, target_user_id=dave.pk, duration_secs=60)
    AuditEntry.objects.all().delete()

    room_delete(room=seated, user=alice)

    assert log() == [
        (
            "vote_cancelled",
            "alice",
            "dave",
            "Lounge",
            f"Vote {open_vote.pk} ended: its room was deleted: 1 yes, 0 no of 3",
            False,
        ),
        (
            "punishment_lifted",
            "alice",
            "mallory",
            "Lounge",
            f"Punishment {punishment.pk}: its room was deleted",
            False,
        ),
        ("room_deleted", "alice", "", "Lounge", "", False),
    ]
    assert not Room.objects.filter(name__in=["Lounge", "Jail: Lounge"]).exists()
    assert set(AuditEntry.objects.values_list("room_id", flat=True)) == {None}
