"""POST /api/auth/login and GET /api/auth/me: 1.x bodies, statuses and messages."""

from __future__ import annotations

import time

import jwt
import pytest
from django.conf import settings

from accounts.tokens import token_mint
from conftest import PERSONA_PASSWORD
from rooms.models import Room

from .conftest import bearer, post


def login(client, **body):
    return post(client, "/api/auth/login", body)


@pytest.mark.django_db
def test_login_in_any_case_returns_the_stored_username(client, alice):
    alice.last_room = Room.objects.get(name="General")
    alice.save()

    response = login(client, username="ALICE", password=PERSONA_PASSWORD)

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["token", "user"]
    assert body["user"] == {
        "id": alice.pk,
        "username": "alice",
        "display_name": "Alice",
        "last_room_id": alice.last_room_id,
    }
    claims = jwt.decode(
        body["token"], settings.JWT_SECRET, algorithms=["HS256"], options={"verify_sub": False}
    )
    assert (claims["sub"], claims["username"], claims["display_name"]) == (
        alice.pk,
        "alice",
        "Alice",
    )


def test_login_publishes_nothing(published, client, persona_password_hash):
    from accounts.models import User

    User.objects.create(username="bob", display_name="Bob", password=persona_password_hash)
    assert login(client, username="bob", password=PERSONA_PASSWORD).status_code == 200
    assert published.sent == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"username": "alice"},
        {"password": "x"},
        {"username": "", "password": "x"},
        {"username": "alice", "password": 0},
        {"username": None, "password": None},
    ],
)
def test_missing_fields_are_required(client, alice, body):
    response = login(client, **body)
    assert (response.status_code, response.json()) == (
        400,
        {"error": "username and password are required"},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"username": "nobody", "password": PERSONA_PASSWORD},
        {"username": "alice", "password": "wrong password"},
        {"username": "alice", "password": PERSONA_PASSWORD.upper()},
        {"username": "alice", "password": 12345678},
        {"username": ["alice"], "password": PERSONA_PASSWORD},
    ],
)
def test_bad_credentials_are_one_401(client, alice, body):
    response = login(client, **body)
    assert (response.status_code, response.json()) == (401, {"error": "Invalid credentials"})


@pytest.mark.django_db
def test_a_deactivated_user_cannot_log_in(client, alice):
    alice.is_active = False
    alice.save()
    response = login(client, username="alice", password=PERSONA_PASSWORD)
    assert (response.status_code, response.json()) == (401, {"error": "Invalid credentials"})


# --- me ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_me_returns_the_user_with_created_at(client, alice):
    response = client.get("/api/auth/me", **bearer(token_mint(user=alice)))

    assert response.status_code == 200
    assert response.json() == {
        "user": {
            "id": alice.pk,
            "username": "alice",
            "display_name": "Alice",
            "last_room_id": None,
            "created_at": alice.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        }
    }


@pytest.mark.django_db
def test_me_accepts_a_token_minted_by_1x(client, alice):
    now = int(time.time())
    token = jwt.encode(
        {
            "sub": alice.pk,
            "username": "alice",
            "display_name": "Alice",
            "iat": now,
            "exp": now + 604800,
        },
        settings.JWT_SECRET,
        algorithm="HS256",
    )
    assert client.get("/api/auth/me", **bearer(token)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": ""},
        {"HTTP_AUTHORIZATION": "Bearer "},
        {"HTTP_AUTHORIZATION": "bearer abc"},
        {"HTTP_AUTHORIZATION": "Token abc"},
    ],
)
def test_no_token_is_missing(client, headers):
    response = client.get("/api/auth/me", **headers)
    assert (response.status_code, response.json()) == (
        401,
        {"error": "Missing authorization token"},
    )


@pytest.mark.django_db
def test_a_query_token_is_not_accepted_outside_the_event_stream(client, alice):
    response = client.get(f"/api/auth/me?token={token_mint(user=alice)}")
    assert (response.status_code, response.json()) == (
        401,
        {"error": "Missing authorization token"},
    )


def _token(alice, *, secret=None, algorithm="HS256", **claims):
    now = int(time.time())
    payload = {
        "sub": alice.pk,
        "username": "alice",
        "display_name": "Alice",
        "iat": now,
        "exp": now + 60,
        **claims,
    }
    return jwt.encode(payload, secret or settings.JWT_SECRET, algorithm=algorithm)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make",
    [
        lambda alice: "not.a.jwt",
        lambda alice: _token(alice, secret="another-secret-0123456789abcdef0123456789"),
        lambda alice: _token(alice, algorithm="HS512"),
        lambda alice: _token(alice, exp=int(time.time()) - 1),
        lambda alice: _token(alice, sub="abc"),
        lambda alice: _token(alice, sub=True),
        lambda alice: _token(alice, sub=alice.pk + 1000),
    ],
    ids=[
        "garbage",
        "wrong-secret",
        "other-algorithm",
        "expired",
        "bad-sub",
        "bool-sub",
        "no-such-user",
    ],
)
def test_bad_tokens_are_invalid_or_expired(client, alice, make):
    response = client.get("/api/auth/me", **bearer(make(alice)))
    assert (response.status_code, response.json()) == (
        401,
        {"error": "Invalid or expired token"},
    )


@pytest.mark.django_db
def test_a_deactivated_users_token_stops_working(client, alice):
    token = token_mint(user=alice)
    alice.is_active = False
    alice.save()
    response = client.get("/api/auth/me", **bearer(token))
    assert (response.status_code, response.json()) == (401, {"error": "Invalid or expired token"})
