"""Per-account limits on rooms, so one account cannot fill the server-wide cap of 100: at most
ROOMS_PER_USER rooms at once and ROOM_CREATE_RATE creations (staff and operators exempt)."""

from __future__ import annotations

import pytest

from core.errors import BadRequest, Conflict, TooManyRequests
from realtime.events import RoomJoined
from rooms.models import Membership, Room
from rooms.services.rooms import room_create, room_delete

from .test_api import auth, post

TOO_MANY = "You have as many rooms as one account may have; delete one to create another"
TOO_FAST = "You are creating rooms too quickly, please try again later"


@pytest.fixture
def no_rate(settings):
    settings.ROOM_CREATE_RATE = (0, 1)


@pytest.mark.django_db
def test_one_account_creating_rooms_as_fast_as_it_can_is_stopped_and_others_still_create(
    client, alice, bob
):
    answers = [
        post(client, "/api/rooms", {"name": f"Flood {n}"}, **auth(alice)) for n in range(100)
    ]
    statuses = [answer.status_code for answer in answers]

    assert statuses == [201] * 5 + [429] * 95
    assert answers[5].json() == {"error": TOO_FAST}
    assert 0 < int(answers[5]["Retry-After"]) <= 600
    assert post(client, "/api/rooms", {"name": "Mine"}, **auth(bob)).status_code == 201


@pytest.mark.django_db
def test_an_account_has_at_most_rooms_per_user_at_once(settings, no_rate, alice, bob):
    settings.ROOMS_PER_USER = 3
    rooms = [room_create(user=alice, name=f"Room {n}") for n in range(3)]

    with pytest.raises(BadRequest) as refused:
        room_create(user=alice, name="Room 4")
    room_delete(room=rooms[0], user=alice)
    again = room_create(user=alice, name="Room 4")
    others = room_create(user=bob, name="Bobs")

    assert refused.value.message == TOO_MANY
    assert again.pk and others.pk
    assert Room.objects.filter(created_by=alice).count() == 3


@pytest.mark.django_db
def test_the_room_count_answers_400_through_the_api(settings, no_rate, client, alice):
    settings.ROOMS_PER_USER = 1
    assert post(client, "/api/rooms", {"name": "One"}, **auth(alice)).status_code == 201
    refused = post(client, "/api/rooms", {"name": "Two"}, **auth(alice))
    assert (refused.status_code, refused.json()) == (400, {"error": TOO_MANY})


@pytest.mark.django_db
def test_only_rooms_that_get_made_count_against_the_rate(settings, alice):
    settings.ROOM_CREATE_RATE = (2, 600)
    room_create(user=alice, name="First")
    for _ in range(5):
        with pytest.raises(Conflict):
            room_create(user=alice, name="First")
        with pytest.raises(BadRequest):
            room_create(user=alice, name="Bad: name")
    room_create(user=alice, name="Second")

    with pytest.raises(TooManyRequests) as refused:
        room_create(user=alice, name="Third")
    assert refused.value.message == TOO_FAST
    assert 0 < int(refused.value.headers["Retry-After"]) <= 600


@pytest.mark.django_db
def test_staff_and_operators_are_not_limited(settings, alice):
    settings.ROOMS_PER_USER = 1
    settings.ROOM_CREATE_RATE = (1, 600)
    alice.is_staff = True
    alice.save()
    made = [room_create(user=alice, name=f"Staff {n}") for n in range(3)]
    made += [room_create(user=None, name=f"Operator {n}") for n in range(3)]
    assert len(made) == 6


@pytest.mark.django_db
def test_zero_turns_the_limits_off(settings, alice):
    settings.ROOMS_PER_USER = 0
    settings.ROOM_CREATE_RATE = (0, 1)
    assert len([room_create(user=alice, name=f"Room {n}") for n in range(12)]) == 12


# --- Joins (ROOM_JOIN_RATE, default 20 per 10 s) ---------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_joins_past_the_rate_are_refused_and_send_nobody_anything(
    settings, published, client, bob, alice
):
    # The default window (10 s) is widened so that a slow machine cannot let it roll over
    # between the 20th join and the 21st.
    settings.ROOM_JOIN_RATE = (20, 60)
    rooms = [Room.objects.create(name=name) for name in ("Left", "Right")]
    answers = [post(client, f"/api/rooms/{rooms[n % 2].pk}/join", **auth(bob)) for n in range(25)]
    refused = answers[20]

    assert [a.status_code for a in answers] == [200] * 20 + [429] * 5
    assert refused.json() == {
        "error": "You are switching rooms too quickly, please try again in a moment"
    }
    assert 0 < int(refused["Retry-After"]) <= 60
    assert len(published.of(RoomJoined)) == 20
    assert Membership.objects.get(user=bob).room == rooms[1]
    assert post(client, f"/api/rooms/{rooms[0].pk}/join", **auth(alice)).status_code == 200


@pytest.mark.django_db
def test_the_join_rate_is_a_setting_and_zero_turns_it_off(settings, client, bob):
    room = Room.objects.create(name="Hall")
    settings.ROOM_JOIN_RATE = (0, 1)
    assert {
        post(client, f"/api/rooms/{room.pk}/join", **auth(bob)).status_code for _ in range(30)
    } == {200}
    settings.ROOM_JOIN_RATE = (1, 10)
    assert post(client, f"/api/rooms/{room.pk}/join", **auth(bob)).status_code == 200
    assert post(client, f"/api/rooms/{room.pk}/join", **auth(bob)).status_code == 429
