"""The rooms API and GET /api/users: 1.x bodies, statuses, messages and check order."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from livekit.api import TokenVerifier

from accounts.tokens import token_mint
from core.errors import Forbidden
from rooms.models import Membership, Room
from rooms.services.membership import membership_enter


def auth(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_mint(user=user)}"}


def post(client, path, body=None, **extra):
    data = body if isinstance(body, str) else json.dumps(body or {})
    return client.post(path, data, content_type="application/json", **extra)


@pytest.fixture
def general(db) -> Room:
    return Room.objects.get(name="General")


@pytest.fixture
def games(alice) -> Room:
    return Room.objects.create(name="Games", type="video", created_by=alice)


# --- GET /api/rooms -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_desktop_probe_without_a_token_gets_401_json(client):
    response = client.get("/api/rooms")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "Missing authorization token"}


def test_rooms_are_every_room_in_binary_name_order_with_is_jail_as_an_integer(
    client, alice, general
):
    games = Room.objects.create(name="games", created_by=alice)
    jail = Room.objects.create(name="Jail: General", is_jail=True, jail_source=general)
    zebra = Room.objects.create(name="Zebra")

    response = client.get("/api/rooms", **auth(alice))

    assert response.status_code == 200
    rooms = response.json()["rooms"]
    assert [r["name"] for r in rooms] == ["General", "Jail: General", "Zebra", "games"]
    assert [r["id"] for r in rooms] == [general.pk, jail.pk, zebra.pk, games.pk]
    assert rooms[1] == {
        "id": jail.pk,
        "name": "Jail: General",
        "type": "voice",
        "created_by": None,
        "created_at": jail.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        "mode": "normal",
        "is_jail": 1,
        "jail_source_room_id": general.pk,
    }
    assert rooms[3]["created_by"] == alice.pk and rooms[3]["is_jail"] == 0


# --- POST /api/rooms ----------------------------------------------------------------------------


def test_create_answers_201_with_the_row_and_announces_it(published, client):
    from accounts.models import User

    alice = User.objects.create(username="alice", display_name="Alice")

    response = post(client, "/api/rooms", {"name": " Late Night ", "type": "video"}, **auth(alice))

    assert response.status_code == 201
    room = Room.objects.get(name="Late Night")
    row = response.json()["room"]
    assert row["id"] == room.pk and row["type"] == "video" and row["created_by"] == alice.pk
    assert published.names() == ["room:created"]
    assert published.sent[0][0].room == row


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({}, 400, "Room name is required"),
        ({"name": 5}, 400, "Room name is required"),
        ({"name": "   "}, 400, "Room name is required"),
        ({"name": "n" * 65}, 400, "Room name must be 64 characters or less"),
        ({"name": "Jail: Games"}, 400, "Room name contains invalid characters"),
        ({"name": "General"}, 409, "A room with that name already exists"),
    ],
)
def test_create_refusals(client, alice, general, body, status, error):
    response = post(client, "/api/rooms", body, **auth(alice))
    assert (response.status_code, response.json()) == (status, {"error": error})


@pytest.mark.django_db
def test_the_room_cap_comes_before_the_duplicate_check(client, alice, general):
    Room.objects.bulk_create(Room(name=f"Room {i}") for i in range(99))

    duplicate = post(client, "/api/rooms", {"name": "General"}, **auth(alice))
    invalid = post(client, "/api/rooms", {"name": "a:b"}, **auth(alice))

    assert (duplicate.status_code, duplicate.json()) == (
        400,
        {"error": "Maximum number of rooms reached"},
    )
    assert invalid.json() == {"error": "Room name contains invalid characters"}


@pytest.mark.django_db
def test_create_needs_a_token(client):
    response = post(client, "/api/rooms", {"name": "x"})
    assert (response.status_code, response.json()) == (
        401,
        {"error": "Missing authorization token"},
    )


# --- GET /api/rooms/members ---------------------------------------------------------------------


@pytest.mark.django_db
def test_members_are_keyed_by_room_id_strings_in_joining_order(client, alice, bob, carol, games):
    general = Room.objects.get(name="General")
    assert client.get("/api/rooms/members", **auth(alice)).json() == {"members": {}}
    membership_enter(user=carol, room=games)
    membership_enter(user=alice, room=games)
    membership_enter(user=bob, room=general)

    response = client.get("/api/rooms/members", **auth(alice))

    assert response.status_code == 200
    assert response.json() == {
        "members": {
            str(general.pk): [{"id": bob.pk, "username": "bob", "display_name": "Bob"}],
            str(games.pk): [
                {"id": carol.pk, "username": "carol", "display_name": "Carol"},
                {"id": alice.pk, "username": "alice", "display_name": "Alice"},
            ],
        }
    }


@pytest.mark.django_db
def test_delete_on_members_is_an_invalid_room_id_as_in_1x(client, alice):
    response = client.delete("/api/rooms/members", **auth(alice))
    assert (response.status_code, response.json()) == (400, {"error": "Invalid room ID"})


# --- POST /api/rooms/{id}/join ------------------------------------------------------------------


@pytest.mark.django_db
def test_join_returns_token_key_room_and_ws_url(client, bob, games, settings):
    settings.LIVEKIT_PUBLIC_URL = "/livekit/"

    response = post(client, f"/api/rooms/{games.pk}/join", **auth(bob))

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["token", "e2eeKey", "room", "wsUrl"]
    assert body["room"] == {
        "id": games.pk,
        "name": "Games",
        "type": "video",
        "mode": "normal",
        "is_jail": 0,
        "created_by": games.created_by_id,
    }
    assert body["wsUrl"] == "/livekit/"
    expected_key = base64.b64encode(
        hmac.new(settings.E2EE_SECRET.encode(), b"Games", hashlib.sha256).digest()
    ).decode()
    assert body["e2eeKey"] == expected_key
    claims = TokenVerifier(settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET).verify(
        body["token"]
    )
    assert claims.video is not None
    assert (claims.identity, claims.name, claims.video.room) == ("bob", "Bob", "Games")
    assert claims.video.room_join and claims.video.can_publish and claims.video.can_subscribe
    bob.refresh_from_db()
    assert bob.last_room_id == games.pk
    assert Membership.objects.get(user=bob).room_id == games.pk


@pytest.mark.django_db
def test_join_ids_are_parsed_like_parseint(client, bob, games):
    response = post(client, f"/api/rooms/{games.pk}abc/join", **auth(bob))
    assert response.json()["room"]["id"] == games.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "status", "error"),
    [
        ("abc", 400, "Invalid room ID"),
        ("%20", 400, "Invalid room ID"),
        ("0", 404, "Room not found"),
        ("-3", 404, "Room not found"),
        ("999999", 404, "Room not found"),
        ("99999999999999999999999", 404, "Room not found"),
    ],
)
def test_join_refusals_for_ids(client, bob, raw, status, error):
    response = post(client, f"/api/rooms/{raw}/join", **auth(bob))
    assert (response.status_code, response.json()) == (status, {"error": error})


def punished(*, user, room):
    raise Forbidden(
        "You are currently punished from this room",
        extra={"punishment": {"expiresAt": "2030-01-01 00:00:00", "jailRoomId": 7}},
    )


@pytest.mark.django_db
def test_a_join_guard_refusal_reaches_the_client_with_its_extra_fields(
    client, bob, games, settings
):
    settings.ROOM_JOIN_GUARDS = [f"{__name__}.punished"]

    response = post(client, f"/api/rooms/{games.pk}/join", **auth(bob))

    assert response.status_code == 403
    assert response.json() == {
        "error": "You are currently punished from this room",
        "punishment": {"expiresAt": "2030-01-01 00:00:00", "jailRoomId": 7},
    }
    assert not Membership.objects.filter(user=bob).exists()


@pytest.mark.django_db
def test_a_join_whose_token_cannot_be_minted_is_a_500_failed_to_join(client, bob, games, settings):
    settings.LIVEKIT_API_KEY = ""
    response = post(client, f"/api/rooms/{games.pk}/join", **auth(bob))
    assert (response.status_code, response.json()) == (500, {"error": "Failed to join room"})
    bob.refresh_from_db()
    assert bob.last_room_id is None


@pytest.mark.django_db
def test_join_accepts_a_trailing_slash_without_redirecting(client, bob, games):
    response = post(client, f"/api/rooms/{games.pk}/join/", **auth(bob))
    assert response.status_code == 200


# --- POST /api/rooms/{id}/leave -----------------------------------------------------------------


@pytest.mark.django_db
def test_leave_takes_the_caller_out_of_that_room_only(client, bob, games):
    general = Room.objects.get(name="General")
    post(client, f"/api/rooms/{games.pk}/join", **auth(bob))

    elsewhere = post(client, f"/api/rooms/{general.pk}/leave", **auth(bob))
    assert (elsewhere.status_code, elsewhere.json()) == (200, {"left": False})
    assert Membership.objects.filter(user=bob).exists()

    here = post(client, f"/api/rooms/{games.pk}/leave", **auth(bob))
    assert (here.status_code, here.json()) == (200, {"left": True})
    assert not Membership.objects.filter(user=bob).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "status", "error"), [("x", 400, "Invalid room ID"), ("4242", 404, "Room not found")]
)
def test_leave_refusals(client, bob, raw, status, error):
    response = post(client, f"/api/rooms/{raw}/leave", **auth(bob))
    assert (response.status_code, response.json()) == (status, {"error": error})


# --- DELETE /api/rooms/{id} ---------------------------------------------------------------------


def test_delete_by_the_creator_answers_deleted_and_announces_leave_then_deleted(published, client):
    from accounts.models import User

    alice = User.objects.create(username="alice", display_name="Alice")
    bob = User.objects.create(username="bob", display_name="Bob")
    games = Room.objects.create(name="Games", created_by=alice)
    membership_enter(user=bob, room=games)
    published.clear()

    response = client.delete(f"/api/rooms/{games.pk}", **auth(alice))

    assert (response.status_code, response.json()) == (200, {"deleted": True})
    assert published.names() == ["user:room_leave", "room:deleted"]
    assert not Room.objects.filter(pk=games.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "who", "status", "error"),
    [
        ("nope", "bob", 400, "Invalid room ID"),
        ("777", "bob", 404, "Room not found"),
        ("games", "bob", 403, "Only the room creator can delete this room"),
        ("general", "alice", 403, "Only the room creator can delete this room"),
    ],
)
def test_delete_refusals(client, alice, bob, games, raw, who, status, error):
    path_id = {"games": games.pk, "general": Room.objects.get(name="General").pk}.get(raw, raw)
    user = {"alice": alice, "bob": bob}[who]
    response = client.delete(f"/api/rooms/{path_id}", **auth(user))
    assert (response.status_code, response.json()) == (status, {"error": error})
    assert Room.objects.filter(pk=games.pk).exists()


def test_staff_may_delete_any_room_but_general(published, client, alice, bob, games):
    bob.is_staff = True
    bob.save()
    # Transactional tests flush the data migration's General; recreate it here.
    general = Room.objects.get_or_create(name="General")[0]
    published.clear()

    refused = client.delete(f"/api/rooms/{general.pk}", **auth(bob))

    assert (refused.status_code, refused.json()) == (
        403,
        {"error": "General cannot be deleted: it is where newcomers land"},
    )
    assert Room.objects.filter(pk=general.pk).exists() and published.names() == []
    assert client.delete(f"/api/rooms/{games.pk}", **auth(bob)).json() == {"deleted": True}


@pytest.mark.django_db
def test_get_on_a_room_id_is_a_json_405(client, alice, games):
    response = client.get(f"/api/rooms/{games.pk}", **auth(alice))
    assert (response.status_code, response.json()) == (405, {"error": "Method not allowed"})


# --- GET /api/users -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_users_are_online_first_then_by_display_name_ignoring_case_and_accents(
    client, make_user, monkeypatch
):
    zed = make_user("zed", "zed")
    make_user("emile", "Émile")
    adam = make_user("adam", "adam")
    bea = make_user("bea", "Bea")
    online = {zed.pk, bea.pk}
    monkeypatch.setattr("presence.api.online_user_ids", lambda: online)

    response = client.get("/api/users", **auth(adam))

    assert response.status_code == 200
    users = response.json()["users"]
    assert [u["username"] for u in users] == ["bea", "zed", "adam", "emile"]
    assert [u["is_online"] for u in users] == [True, True, False, False]
    assert users[2] == {
        "id": adam.pk,
        "username": "adam",
        "display_name": "adam",
        "last_seen": None,
        "is_online": False,
    }


@pytest.mark.django_db
def test_users_last_seen_is_a_1x_timestamp(client, alice):
    from datetime import UTC, datetime

    alice.last_seen = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    alice.save()
    users = client.get("/api/users", **auth(alice)).json()["users"]
    assert users[0]["last_seen"] == "2026-01-02 03:04:05"


@pytest.mark.django_db
def test_users_needs_a_token(client):
    assert client.get("/api/users").status_code == 401


def test_a_rejoin_is_four_statements_and_a_move_five(client, alice, general, games):
    # The hottest request of all: the bearer's user, then in one transaction the rooms with the
    # membership and last room, the jail guard, the membership moved; a move also remembers the
    # new room (a room in normal mode has no whispers chain to leave). Savepoints are the
    # test's own transaction.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statements(room: Room) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert post(client, f"/api/rooms/{room.pk}/join", **auth(alice)).status_code == 200
        sql = [q["sql"] for q in captured.captured_queries]
        return [s for s in sql if "SAVEPOINT" not in s]

    post(client, f"/api/rooms/{general.pk}/join", **auth(alice))
    assert len(statements(games)) == 5
    assert len(statements(games)) == 4
    alice.refresh_from_db()
    assert alice.last_room_id == games.pk
    assert Membership.objects.get(user=alice).room_id == games.pk
