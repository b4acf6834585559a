"""How long someone stays after their last connection goes (2.x's rule: 15 s for a client
heard from in the last 10 s, else 2 s), the heartbeat that decides it, and members who never
connect at all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tokens import token_mint
from presence.models import Presence
from presence.selectors import online_user_ids
from presence.services.connections import (
    presence_connect,
    presence_disconnect,
    presence_ping,
    presence_sweep,
)
from realtime.events import RoomLeft, WhispersChainUpdated
from realtime.publish import Everyone, Users
from rooms.models import Membership, Room
from rooms.services.membership import membership_enter

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("two_point_x_timings"),
]

SECOND = timedelta(seconds=1)


@pytest.fixture
def two_point_x_timings(settings):
    settings.PRESENCE_GRACE_SECONDS = 15
    settings.PRESENCE_SHORT_GRACE_SECONDS = 2
    settings.PRESENCE_PING_FRESH_SECONDS = 10
    settings.PRESENCE_UNCONNECTED_MEMBER_SECONDS = 15


@pytest.fixture
def lounge(alice):
    return Room.objects.create(name="Lounge", created_by=alice)


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_mint(user=user)}")
    return client


def _seated_then_gone(user, room, *, at, heard_at=None):
    connection = presence_connect(user=user, transport="sse", process_id="p1", now=at)
    membership_enter(user=user, room=room)
    presence_disconnect(connection_id=connection, now=at, heard_at=heard_at)


def _leaves_between(published, *, start, stays_until, gone_by):
    """Sweeps just before and at the deadline; returns what each published."""
    published.clear()
    presence_sweep(now=start + stays_until)
    before = published.names()
    presence_sweep(now=start + gone_by)
    return before, published.names()[len(before) :]


# --- The grace period ---------------------------------------------------------------------------


def test_a_client_that_pinged_lately_stays_for_fifteen_seconds(published, alice, lounge):
    start = timezone.now()
    presence_ping(user=alice, now=start - 9 * SECOND)
    _seated_then_gone(alice, lounge, at=start)

    before, at_deadline = _leaves_between(
        published, start=start, stays_until=14.9 * SECOND, gone_by=15 * SECOND
    )

    assert before == []
    assert at_deadline == ["user:room_leave", "user:offline"]


def test_a_client_silent_for_ten_seconds_goes_after_two(published, alice, lounge):
    start = timezone.now()
    presence_ping(user=alice, now=start - 10 * SECOND)
    _seated_then_gone(alice, lounge, at=start)

    before, at_deadline = _leaves_between(
        published, start=start, stays_until=1.9 * SECOND, gone_by=2 * SECOND
    )

    assert before == []
    assert at_deadline == ["user:room_leave", "user:offline"]
    assert online_user_ids() == set()


def test_a_client_that_never_pings_goes_after_two(published, alice, lounge):
    # A 1.x client: its stream dropped and nothing else was heard from it.
    start = timezone.now()
    _seated_then_gone(alice, lounge, at=start)

    before, at_deadline = _leaves_between(
        published, start=start, stays_until=1.9 * SECOND, gone_by=2 * SECOND
    )

    assert (before, at_deadline) == ([], ["user:room_leave", "user:offline"])


def test_a_client_heard_as_its_connection_closed_stays_for_fifteen_seconds(
    published, alice, lounge
):
    # A WebSocket's close frame (a reload) proves the client was there when it went.
    start = timezone.now()
    _seated_then_gone(alice, lounge, at=start, heard_at=start)

    before, at_deadline = _leaves_between(
        published, start=start, stays_until=14.9 * SECOND, gone_by=15 * SECOND
    )

    assert (before, at_deadline) == ([], ["user:room_leave", "user:offline"])


def test_a_reconnect_within_the_grace_is_never_seen(published, alice, lounge):
    start = timezone.now()
    presence_ping(user=alice, now=start)
    _seated_then_gone(alice, lounge, at=start)
    presence_connect(user=alice, transport="sse", process_id="p1", now=start + 12 * SECOND)

    before, after = _leaves_between(
        published, start=start, stays_until=15 * SECOND, gone_by=60 * SECOND
    )

    assert before == after == []
    assert Membership.objects.get(user=alice).room == lounge


@override_settings(PRESENCE_GRACE_SECONDS=1, PRESENCE_SHORT_GRACE_SECONDS=2)
def test_the_short_grace_is_never_longer_than_the_long_one(published, alice, lounge):
    start = timezone.now()
    _seated_then_gone(alice, lounge, at=start)

    before, at_deadline = _leaves_between(
        published, start=start, stays_until=0.9 * SECOND, gone_by=1 * SECOND
    )

    assert (before, at_deadline) == ([], ["user:room_leave", "user:offline"])


# --- POST /api/events/ping ----------------------------------------------------------------------


def test_ping_answers_ok_and_buys_the_long_grace(published, alice, lounge):
    connection = presence_connect(user=alice, transport="sse", process_id="p1")
    membership_enter(user=alice, room=lounge)

    response = _api(alice).post("/api/events/ping")

    assert (response.status_code, response.json()) == (200, {"ok": True})
    gone = timezone.now()
    presence_disconnect(connection_id=connection, now=gone)
    published.clear()
    presence_sweep(now=gone + 5 * SECOND)
    assert published.names() == []
    assert online_user_ids() == {alice.pk}


def test_ping_before_any_connection_is_remembered(alice):
    response = _api(alice).post("/api/events/ping")

    assert response.json() == {"ok": True}
    presence = Presence.objects.get(user=alice)
    assert presence.pinged_at is not None and not presence.online


@pytest.mark.parametrize(
    ("authorization", "error"),
    [(None, "Missing authorization token"), ("Bearer nope", "Invalid or expired token")],
)
def test_ping_without_a_valid_token_is_refused(alice, authorization, error):
    client = APIClient()
    if authorization:
        client.credentials(HTTP_AUTHORIZATION=authorization)

    response = client.post("/api/events/ping")

    assert (response.status_code, response.json()) == (401, {"error": error})
    assert not Presence.objects.filter(user=alice).exists()


# --- Members who never connect ------------------------------------------------------------------


def test_a_member_who_never_connects_is_taken_out_after_the_grace(published, alice, bob, lounge):
    presence_connect(user=alice, transport="ws", process_id="p1")
    membership_enter(user=alice, room=lounge)
    membership_enter(user=bob, room=lounge)
    joined = Membership.objects.get(user=bob).joined_at
    published.clear()

    presence_sweep(now=joined + 14.9 * SECOND)
    assert published.names() == []
    presence_sweep(now=joined + 15 * SECOND)
    presence_sweep(now=joined + 16 * SECOND)

    # Bob was never online, so he only leaves the room; alice, connected, stays.
    [(left, audience)] = published.of(RoomLeft)
    assert (left.user["id"], left.roomId, audience) == (bob.pk, lounge.pk, Everyone())
    assert published.names() == ["user:room_leave"]
    assert list(Membership.objects.values_list("user_id", flat=True)) == [alice.pk]


def test_a_member_who_joined_through_the_api_and_never_connected_is_gone_from_the_list(
    settings, published, bob, lounge
):
    settings.LIVEKIT_API_KEY = "presence-test-key"
    settings.LIVEKIT_API_SECRET = "presence-test-livekit-secret-0123456789abcdef"
    assert _api(bob).post(f"/api/rooms/{lounge.pk}/join").status_code == 200
    assert _api(bob).get("/api/rooms/members").json()["members"] == {
        str(lounge.pk): [{"id": bob.pk, "username": "bob", "display_name": "Bob"}]
    }

    presence_sweep(now=timezone.now() + 15 * SECOND)

    assert _api(bob).get("/api/rooms/members").json()["members"] == {}


def test_a_member_whose_stream_connects_after_the_join_stays(published, bob, lounge):
    # 2.x's client rejoins first and reconnects its stream after.
    membership_enter(user=bob, room=lounge)
    joined = Membership.objects.get(user=bob).joined_at
    presence_connect(user=bob, transport="sse", process_id="p1", now=joined + 5 * SECOND)
    published.clear()

    presence_sweep(now=joined + 60 * SECOND)

    assert published.names() == []
    assert Membership.objects.get(user=bob).room == lounge


def test_a_member_who_went_offline_and_rejoins_without_connecting_is_taken_out(
    published, bob, lounge
):
    start = timezone.now()
    _seated_then_gone(bob, lounge, at=start)
    presence_sweep(now=start + 2 * SECOND)
    membership_enter(user=bob, room=lounge)
    joined = Membership.objects.get(user=bob).joined_at
    published.clear()

    presence_sweep(now=joined + 15 * SECOND)

    assert published.names() == ["user:room_leave"]


def test_a_lapsed_member_leaves_the_whispers_chain(published, alice, bob, carol, lounge):
    for user in (alice, carol):
        presence_connect(user=user, transport="ws", process_id="p1")
    lounge.mode = Room.Mode.WHISPERS
    lounge.save()
    for user in (alice, bob, carol):
        membership_enter(user=user, room=lounge)
    published.clear()

    presence_sweep(now=timezone.now() + 16 * SECOND)

    [(update, audience)] = published.of(WhispersChainUpdated)
    assert update.reason == "user_left"
    assert [entry["userId"] for entry in update.chain] == [alice.pk, carol.pk]
    assert audience == Users((alice.pk, carol.pk))


def test_a_lapsed_member_can_no_longer_start_a_vote(alice, bob, carol, mallory, lounge):
    for user in (alice, carol, mallory):
        presence_connect(user=user, transport="ws", process_id="p1")
    for user in (alice, bob, carol, mallory):
        membership_enter(user=user, room=lounge)

    presence_sweep(now=timezone.now() + 16 * SECOND)
    response = _api(bob).post(
        "/api/votes", {"targetUserId": mallory.pk, "durationSecs": 60}, format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {"error": "You must be in a room to start a vote"},
    )
