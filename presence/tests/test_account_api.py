"""The caller's own account: a new display name reaches everyone live, a password change ends
every other sign-in, and a deleted account leaves its room, goes offline and is listed nowhere,
while the rooms it made stay. Every bad input is a clear JSON error that changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from accounts.tokens import token_mint
from conftest import PERSONA_PASSWORD
from presence.models import Presence
from realtime.events import RoomLeft, UserDeleted, UserOffline, UserUpdated
from realtime.payloads import UserRef
from realtime.publish import Everyone
from rooms.models import Membership, Room
from rooms.services.membership import membership_enter

NEW_PASSWORD = "a brand new passphrase"
WRONG = "Current password is incorrect"
LENGTH = "Password must be 8-128 characters"


def call(client: Client, method: str, path: str, body: Any, **extra: Any):
    return client.generic(method, path, json.dumps(body), content_type="application/json", **extra)


def me_with(token: str) -> int:
    """The status of `GET /api/auth/me` with this bearer token."""
    return Client().get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def signed_in(user: User) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(user, backend="accounts.backends.UsernameBackend")
    return client


@pytest.mark.django_db(transaction=True)
def test_a_new_display_name_is_announced_to_everyone(alice, published):
    response = call(signed_in(alice), "PATCH", "/api/account", {"display_name": "  Ally  "})

    assert response.status_code == 200
    assert response.json()["user"]["display_name"] == "Ally"
    alice.refresh_from_db()
    assert alice.display_name == "Ally"
    ref: UserRef = {"id": alice.pk, "username": "alice", "display_name": "Ally"}
    assert published.of(UserUpdated) == [(UserUpdated(user=ref), Everyone())]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "   ", "x" * 65, 42, None])
def test_a_bad_display_name_is_refused_and_changes_nothing(alice, name):
    response = call(signed_in(alice), "PATCH", "/api/account", {"display_name": name})

    assert response.status_code == 400
    assert response.json() == {"error": "Display name must be 1-64 characters"}
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


@pytest.mark.django_db
def test_the_account_api_needs_a_signed_in_caller(client):
    assert call(client, "PATCH", "/api/account", {"display_name": "X"}).status_code == 401
    assert call(client, "DELETE", "/api/account", {"password": "x"}).status_code == 401
    response = call(client, "POST", "/api/account/password", {})
    assert response.status_code == 401 and "error" in response.json()


@pytest.mark.django_db
def test_a_password_change_ends_every_other_sign_in_but_the_callers(alice):
    token = token_mint(user=alice)
    changer, elsewhere = signed_in(alice), signed_in(alice)
    body = {"current_password": PERSONA_PASSWORD, "new_password": NEW_PASSWORD}

    response = call(changer, "POST", "/api/account/password", body)

    assert response.status_code == 200 and response.json() == {"changed": True}
    assert changer.get("/api/auth/me").status_code == 200
    assert elsewhere.get("/api/auth/me").status_code == 401
    assert me_with(token) == 401
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "current_password and new_password are required"),
        ({"current_password": "wrong password", "new_password": NEW_PASSWORD}, WRONG),
        ({"current_password": PERSONA_PASSWORD, "new_password": "short"}, LENGTH),
        ({"current_password": PERSONA_PASSWORD, "new_password": 12345678}, LENGTH),
    ],
)
def test_a_refused_password_change_keeps_every_sign_in(alice, body, error):
    token = token_mint(user=alice)
    response = call(signed_in(alice), "POST", "/api/account/password", body)

    assert response.status_code == 400
    assert response.json() == {"error": error}
    assert me_with(token) == 200


@pytest.mark.django_db(transaction=True)
def test_deleting_my_account_takes_me_out_everywhere_and_keeps_my_rooms(alice, bob, published):
    lobby = Room.objects.create(name="Lobby", created_by=alice)
    membership_enter(user=alice, room=lobby)
    Presence.objects.create(user=alice, online=True)
    token = token_mint(user=alice)
    published.clear()

    response = call(signed_in(alice), "DELETE", "/api/account", {"password": PERSONA_PASSWORD})

    assert response.status_code == 200 and response.json() == {"deleted": True}
    assert published.names() == ["user:room_leave", "user:offline", "user:deleted"]
    (left, _), (offline, _) = published.of(RoomLeft)[0], published.of(UserOffline)[0]
    assert left.roomId == lobby.pk and offline.user["id"] == alice.pk
    ((deleted, audience),) = published.of(UserDeleted)
    assert audience == Everyone()
    closed = {"id": alice.pk, "username": f"deleted-{alice.pk}", "display_name": "Deleted user"}
    assert deleted.user == closed
    assert not Membership.objects.filter(user=alice).exists()
    # The room stays, for everyone in it; its creator can no longer sign in to delete it.
    assert Room.objects.filter(pk=lobby.pk, created_by=alice).exists()
    assert me_with(token) == 401
    credentials = {"username": "alice", "password": PERSONA_PASSWORD}
    login = call(Client(), "POST", "/api/auth/login", credentials)
    assert login.status_code == 401
    # Listed nowhere, and the name is free for someone new.
    users = signed_in(bob).get("/api/users").json()["users"]
    assert [user["username"] for user in users] == ["bob"]
    again = call(
        Client(),
        "POST",
        "/api/auth/register",
        {"username": "alice", "display_name": "New Alice", "password": NEW_PASSWORD},
    )
    assert again.status_code == 201


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_deletes_nothing(alice, published):
    response = call(signed_in(alice), "DELETE", "/api/account", {"password": "not it"})

    assert response.status_code == 400
    assert response.json() == {"error": "Password is incorrect"}
    alice.refresh_from_db()
    assert alice.is_active and alice.username == "alice"
    assert published.sent == []
