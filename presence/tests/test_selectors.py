"""The hello snapshot: what a (re)connecting client is told, and how often it is read."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation.models import Vote
from presence.selectors import hello_frame, hello_snapshot, world_forget
from realtime.events import WhispersDeactivated
from realtime.publish import Users, publish
from rooms.models import Room
from rooms.services.membership import membership_enter

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lobby_vote(alice, bob, carol, mallory) -> Vote:
    lobby = Room.objects.create(name="Lobby", created_by=alice)
    elsewhere = Room.objects.create(name="Elsewhere", created_by=alice)
    for user in (alice, bob, mallory):
        membership_enter(user=user, room=lobby)
    membership_enter(user=carol, room=elsewhere)
    return Vote.objects.create(
        source_room=lobby,
        target=mallory,
        initiated_by=alice,
        duration_secs=60,
        expires_at=timezone.now() + timedelta(seconds=30),
        eligible_count=2,
        yes_count=1,
    )


def test_votes_reach_only_those_in_the_votes_room(lobby_vote, bob, carol, dave):
    world_forget()
    assert [v["id"] for v in hello_snapshot(user=bob, connection_id=uuid.uuid4())["votes"]] == [
        lobby_vote.pk
    ]
    # As vote:started, the snapshot tells nobody outside the room, target or not.
    assert hello_snapshot(user=carol, connection_id=uuid.uuid4())["votes"] == []
    assert hello_snapshot(user=dave, connection_id=uuid.uuid4())["votes"] == []


def test_reconnects_share_one_reading_until_something_changes(lobby_vote, alice, bob, carol):
    world_forget()
    hello_snapshot(user=alice, connection_id=uuid.uuid4())
    with CaptureQueriesContext(connection) as unchanged:
        hello_snapshot(user=bob, connection_id=uuid.uuid4())
        hello_snapshot(user=carol, connection_id=uuid.uuid4())
    assert len(unchanged) == 0

    publish(WhispersDeactivated(roomId=1), to=Users.one(alice.pk))  # any event at all
    with CaptureQueriesContext(connection) as changed:
        hello_snapshot(user=bob, connection_id=uuid.uuid4())
    assert len(changed) > 0


def test_the_frame_says_exactly_what_the_snapshot_holds(lobby_vote, bob, carol):
    world_forget()
    for user in (bob, carol):
        connection = uuid.uuid4()
        frame = json.loads(hello_frame(user=user, connection_id=connection))
        snapshot = hello_snapshot(user=user, connection_id=connection)
        assert frame["type"] == "hello"
        assert {**frame["data"], "serverTime": ""} == {**snapshot, "serverTime": ""}
