"""POST /api/rooms/:id/sync: 2.x's re-assertion of membership after an event stream reconnects,
without a new LiveKit token."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tokens import token_mint
from realtime.events import RoomJoined, RoomLeft, WhispersChainUpdated
from realtime.publish import Everyone, Users
from rooms.models import Membership, Room
from rooms.services.membership import membership_enter, room_join

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_livekit(settings):
    # Whispers chain changes are handed to the SFU after commit; nothing listens here.
    settings.LIVEKIT_URL = "ws://127.0.0.1:9"


@pytest.fixture
def lounge(alice) -> Room:
    return Room.objects.create(name="Lounge", created_by=alice)


@pytest.fixture
def games(alice) -> Room:
    return Room.objects.create(name="Games", created_by=alice)


def _sync(user: User, room_id: object):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_mint(user=user)}")
    return client.post(f"/api/rooms/{room_id}/sync")


def test_sync_puts_a_lapsed_member_back_without_a_token(published, bob, lounge, games):
    room_join(room_id=lounge.pk, user=bob)
    Membership.objects.filter(user=bob).delete()
    published.clear()

    response = _sync(bob, lounge.pk)

    assert (response.status_code, response.json()) == (200, {"synced": True})
    [(joined, audience)] = published.of(RoomJoined)
    assert (joined.user["id"], joined.roomId, audience) == (bob.pk, lounge.pk, Everyone())
    assert published.names() == ["user:room_join"]
    assert Membership.objects.get(user=bob).room == lounge


def test_sync_into_another_room_leaves_the_old_one_but_not_the_last_room(
    published, bob, lounge, games
):
    room_join(room_id=lounge.pk, user=bob)
    published.clear()

    _sync(bob, games.pk)

    assert published.names() == ["user:room_leave", "user:room_join"]
    [(left, _)] = published.of(RoomLeft)
    assert left.roomId == lounge.pk
    assert Membership.objects.get(user=bob).room == games
    bob.refresh_from_db()
    assert bob.last_room_id == lounge.pk


def test_sync_into_the_room_one_is_in_sends_nothing(published, bob, lounge):
    membership_enter(user=bob, room=lounge)
    published.clear()

    response = _sync(bob, lounge.pk)

    assert response.json() == {"synced": True}
    assert published.names() == []


def test_sync_into_a_whispers_room_appends_with_reason_user_synced(published, alice, bob):
    whispers = Room.objects.create(name="Whispers", mode=Room.Mode.WHISPERS)
    membership_enter(user=alice, room=whispers)
    published.clear()

    _sync(bob, whispers.pk)

    [(update, audience)] = published.of(WhispersChainUpdated)
    assert update.reason == "user_synced"
    assert update.payload()["reason"] == "user_synced"
    assert [(e["userId"], e["position"]) for e in update.chain] == [(alice.pk, 0), (bob.pk, 1)]
    assert audience == Users((alice.pk, bob.pk))


@pytest.mark.parametrize(
    ("room_id", "status", "error"),
    [("abc", 400, "Invalid room ID"), (999_999, 404, "Room not found")],
)
def test_sync_refusals(published, bob, room_id, status, error):
    response = _sync(bob, room_id)

    assert (response.status_code, response.json()) == (status, {"error": error})
    assert published.names() == []


def test_sync_needs_a_token(lounge):
    response = APIClient().post(f"/api/rooms/{lounge.pk}/sync")

    assert (response.status_code, response.json()) == (
        401,
        {"error": "Missing authorization token"},
    )
