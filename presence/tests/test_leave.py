"""POST /api/events/leave: 2.x's intentional leave, sent by a beacon as a page goes, with the
token in the JSON body; our page's beacon with its session cookie and CSRF token in a form."""

from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tokens import token_mint
from presence.models import Presence
from presence.selectors import online_user_ids
from presence.services.connections import presence_connect, presence_disconnect, presence_sweep
from realtime.events import RoomLeft, UserOffline, WhispersChainUpdated
from realtime.publish import Everyone, Users
from rooms.models import Membership, Room
from rooms.services.membership import membership_enter

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/events/leave"


@pytest.fixture(autouse=True)
def _two_point_x_timings(settings):
    settings.PRESENCE_GRACE_SECONDS = 15
    settings.PRESENCE_SHORT_GRACE_SECONDS = 2


@pytest.fixture
def lounge(alice):
    return Room.objects.create(name="Lounge", created_by=alice)


def _seat(user, room) -> uuid.UUID:
    connection = presence_connect(user=user, transport="sse", process_id="p1")
    membership_enter(user=user, room=room)
    return connection


def _beacon(user, **extra):
    """What 2.x's page sends: a JSON Blob with the token, no header, no CSRF token."""
    client = APIClient(enforce_csrf_checks=True)
    return client.post(URL, {"token": token_mint(user=user), **extra}, format="json")


def _signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/api/csrf")
    return client


def _page_beacon(client: Client, **fields):
    """What our page sends: a form with the CSRF token, riding on the session cookie."""
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    form = urlencode({"csrfmiddlewaretoken": token, **fields})
    return client.post(URL, form, content_type="application/x-www-form-urlencoded;charset=UTF-8")


# --- 2.x's leave --------------------------------------------------------------------------------


def test_a_beacon_with_the_token_in_its_body_leaves_the_room_and_goes_offline(
    published, alice, bob, lounge
):
    connection = _seat(alice, lounge)
    _seat(bob, lounge)
    presence_disconnect(connection_id=connection)
    published.clear()

    response = _beacon(alice)

    assert (response.status_code, response.json()) == (200, {"left": True})
    assert published.names() == ["user:room_leave", "user:offline"]
    [(left, audience)] = published.of(RoomLeft)
    assert (left.user["id"], left.roomId, audience) == (alice.pk, lounge.pk, Everyone())
    assert online_user_ids() == {bob.pk}
    assert list(Membership.objects.values_list("user_id", flat=True)) == [bob.pk]
    # The grace period it cut short never fires again.
    published.clear()
    presence_sweep(now=timezone.now() + timedelta(minutes=1))
    assert published.names() == []


def test_a_leave_while_a_connection_is_open_leaves_the_room_and_stays_online(
    published, alice, lounge
):
    _seat(alice, lounge)
    published.clear()

    response = _beacon(alice)

    assert response.status_code == 200
    assert published.names() == ["user:room_leave"]
    assert online_user_ids() == {alice.pk}
    assert not Membership.objects.filter(user=alice).exists()


def test_leaving_twice_announces_offline_once(published, alice, lounge):
    connection = _seat(alice, lounge)
    presence_disconnect(connection_id=connection)
    published.clear()

    _beacon(alice)
    _beacon(alice)

    assert [event.user["id"] for event, _ in published.of(UserOffline)] == [alice.pk]


def test_leaving_a_whispers_room_tells_the_rest_of_the_chain(published, alice, bob, carol):
    lounge = Room.objects.create(name="Lounge", mode=Room.Mode.WHISPERS)
    for user in (alice, bob, carol):
        _seat(user, lounge)
    published.clear()

    _beacon(bob)

    [(update, audience)] = published.of(WhispersChainUpdated)
    assert (update.reason, audience) == ("user_left", Users((alice.pk, carol.pk)))
    assert [entry["userId"] for entry in update.chain] == [alice.pk, carol.pk]


def test_a_bearer_header_works_too(published, alice, lounge):
    _seat(alice, lounge)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_mint(user=alice)}")

    assert client.post(URL).json() == {"left": True}
    assert not Membership.objects.filter(user=alice).exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "Missing authorization token"),
        ({"token": ""}, "Missing authorization token"),
        ({"token": "not-a-jwt"}, "Invalid or expired token"),
        ({"token": 12}, "Missing authorization token"),
    ],
)
def test_a_leave_without_a_valid_token_is_refused_and_changes_nothing(
    published, alice, lounge, body, error
):
    _seat(alice, lounge)
    published.clear()

    response = APIClient().post(URL, body, format="json")

    assert (response.status_code, response.json()) == (401, {"error": error})
    assert Membership.objects.filter(user=alice).exists()
    assert published.names() == []


def test_malformed_json_is_a_clear_error(alice):
    response = APIClient().post(URL, "{not json", content_type="application/json")

    assert (response.status_code, response.json()) == (400, {"error": "Malformed JSON body"})


# --- Our page's beacon --------------------------------------------------------------------------


def test_the_pages_beacon_rides_on_its_session_with_the_csrf_token_in_a_form(
    published, alice, lounge
):
    connection = _seat(alice, lounge)
    published.clear()

    response = _page_beacon(_signed_in(alice), connection=str(connection))

    assert (response.status_code, response.json()) == (200, {"left": True})
    assert published.names() == ["user:room_leave"]


def test_a_session_beacon_without_the_csrf_token_is_refused(published, alice, lounge):
    # What a page on another site could send with the cookie (were it sent cross-site at all).
    _seat(alice, lounge)
    published.clear()

    response = _signed_in(alice).post(URL, {})

    assert response.status_code == 403
    assert response.json()["error"].startswith("CSRF Failed")
    assert Membership.objects.filter(user=alice).exists()
    assert published.names() == []


def test_closing_one_tab_keeps_the_room_another_tab_is_in(published, alice, lounge):
    closing = _seat(alice, lounge)
    presence_connect(user=alice, transport="ws", process_id="p1")
    published.clear()

    _page_beacon(_signed_in(alice), connection=str(closing))

    assert published.names() == []
    assert Membership.objects.get(user=alice).room == lounge


@pytest.mark.parametrize("socket_closes_first", [True, False], ids=["close-first", "beacon-first"])
def test_a_reload_leaves_the_room_but_is_never_seen_offline(
    published, alice, lounge, socket_closes_first
):
    # The beacon may land before or after the page's socket closes; the grace decides offline.
    page = _seat(alice, lounge)
    published.clear()

    if socket_closes_first:
        presence_disconnect(connection_id=page, heard_at=timezone.now())
    _page_beacon(_signed_in(alice), connection=str(page))
    if not socket_closes_first:
        presence_disconnect(connection_id=page, heard_at=timezone.now())
    presence_connect(user=alice, transport="ws", process_id="p1")
    presence_sweep(now=timezone.now() + timedelta(minutes=1))

    assert published.names() == ["user:room_leave"]
    assert alice.pk in online_user_ids()


def test_a_closed_page_goes_offline_when_its_grace_ends(published, alice, lounge):
    page = _seat(alice, lounge)
    _page_beacon(_signed_in(alice), connection=str(page))
    gone = timezone.now()
    presence_disconnect(connection_id=page, now=gone, heard_at=gone)
    published.clear()

    presence_sweep(now=gone + timedelta(seconds=14))
    assert published.names() == []
    presence_sweep(now=gone + timedelta(seconds=15))

    assert published.names() == ["user:offline"]


@pytest.mark.parametrize("connection", ["", "abc", 7, ["x"]])
def test_a_connection_that_is_no_id_is_a_clear_error(alice, lounge, connection):
    _seat(alice, lounge)

    response = _beacon(alice, connection=connection)

    assert (response.status_code, response.json()) == (400, {"error": "Invalid connection ID"})
    assert Membership.objects.filter(user=alice).exists()


def test_a_beacon_only_ends_its_senders_presence(published, alice, mallory, lounge):
    alices = _seat(alice, lounge)
    _seat(mallory, lounge)
    presence_disconnect(connection_id=alices)
    published.clear()

    # Mallory names alice's connection, and then names nobody's.
    _beacon(mallory, connection=str(alices))
    _beacon(mallory)

    assert {event.user["id"] for event, _ in published.sent} == {mallory.pk}
    assert Membership.objects.get(user=alice).room == lounge
    assert Presence.objects.get(user=alice).online
