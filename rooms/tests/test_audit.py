"""Whispers changes and room deletions write their audit log rows: who, which room, and whether
it took staff power."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from core.errors import BadRequest, Forbidden
from rooms.models import Room
from rooms.services.membership import membership_enter
from rooms.services.rooms import room_delete
from rooms.services.whispers import whispers_mode_set, whispers_reset

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_livekit(settings):
    # Subscription syncs are tried after commit; nothing listens here, so they only log.
    settings.LIVEKIT_URL = "ws://127.0.0.1:9"


def log() -> list[tuple[str, str, str, str, bool]]:
    rows = AuditEntry.objects.order_by("id")
    return list(rows.values_list("kind", "actor_name", "room_name", "detail", "override"))


def test_whispers_on_reshuffled_off_and_reset(alice, bob, carol):
    lounge = Room.objects.create(name="Lounge", created_by=alice)
    for user in (alice, bob, carol):
        membership_enter(user=user, room=lounge)
    carol.is_staff = True
    carol.save()

    whispers_mode_set(room_id=lounge.pk, user=bob, mode="whispers")
    whispers_mode_set(room_id=lounge.pk, user=alice, mode="whispers")
    whispers_mode_set(room_id=lounge.pk, user=alice, mode="normal")
    whispers_mode_set(room_id=lounge.pk, user=alice, mode="normal")  # already off: no change
    whispers_reset(room=lounge, actor=carol)

    assert log() == [
        ("whispers_on", "bob", "Lounge", "Chain of 3", False),
        ("whispers_on", "alice", "Lounge", "Reshuffled: chain of 3", False),
        ("whispers_off", "alice", "Lounge", "", False),
        ("whispers_reset", "carol", "Lounge", "Was already off", True),
    ]


def test_refusals_write_nothing(alice, bob):
    lounge = Room.objects.create(name="Lounge", created_by=alice)
    membership_enter(user=alice, room=lounge)
    with pytest.raises(BadRequest):
        whispers_mode_set(room_id=lounge.pk, user=alice, mode="whispers")
    with pytest.raises(Forbidden):
        whispers_reset(room=lounge, actor=bob)
    with pytest.raises(Forbidden):
        room_delete(room=lounge, user=bob)
    assert log() == []


def test_a_deletion_by_its_creator_and_one_by_staff(alice, bob):
    games = Room.objects.create(name="Games", created_by=alice)
    cards = Room.objects.create(name="Cards", created_by=alice)
    bob.is_staff = True
    bob.save()

    room_delete(room=games, user=alice)
    room_delete(room=cards, user=bob)

    assert log() == [
        ("room_deleted", "alice", "Games", "", False),
        ("room_deleted", "bob", "Cards", "", True),
    ]
    # The room is gone; its name stays on the row.
    assert list(AuditEntry.objects.values_list("room_id", flat=True)) == [None, None]
