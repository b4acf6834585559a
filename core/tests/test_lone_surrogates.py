"""A lone UTF-16 surrogate ("\\ud800", valid JSON syntax that no UTF-8 text can hold) in any
field of a JSON body is a 400, never a 500, and writes nothing; a paired one (an emoji) is fine."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from accounts.tokens import token_mint
from rooms.models import Room

LONE = "\\ud800"
BAD = (400, {"error": "Malformed JSON body"})


def send(client: Client, path: str, fields: dict[str, str], **extra):
    # Built by hand: json.dumps would escape the backslash of the escape itself.
    body = "{" + ",".join(f'"{k}":"{v}"' for k, v in fields.items()) + "}"
    return client.post(path, body, content_type="application/json", **extra)


REGISTER = {"username": "newbie", "display_name": "Newbie", "password": "long enough"}
LOGIN = {"username": "alice", "password": "correct horse battery staple"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/auth/register", "/api/session/register"])
@pytest.mark.parametrize("field", ["username", "display_name", "password"])
@pytest.mark.parametrize("where", ["alone", "inside"])
def test_registration_fields(client, path, field, where):
    value = LONE if where == "alone" else f"ab{LONE}cdefgh"
    response = send(client, path, {**REGISTER, field: value})
    assert (response.status_code, response.json()) == BAD
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/auth/login", "/api/session/login"])
@pytest.mark.parametrize("field", ["username", "password"])
def test_login_fields(client, alice, path, field):
    response = send(client, path, {**LOGIN, field: f"x{LONE}"})
    assert (response.status_code, response.json()) == BAD


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["name", "type"])
def test_room_fields(client, alice, field):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_mint(user=alice)}"}
    response = send(client, "/api/rooms", {"name": "Den", "type": "voice", field: LONE}, **auth)
    assert (response.status_code, response.json()) == BAD
    assert not Room.objects.filter(created_by=alice).exists()


@pytest.mark.django_db
def test_a_lone_surrogate_in_a_key_or_a_nested_value_is_refused_too(client, alice):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_mint(user=alice)}"}
    body = '{"name": "Den", "x' + LONE + '": 1, "deep": [{"a": ["' + LONE + '"]}]}'
    response = client.post("/api/rooms", body, content_type="application/json", **auth)
    assert (response.status_code, response.json()) == BAD


@pytest.mark.django_db
def test_a_paired_surrogate_escape_is_an_ordinary_character(client):
    response = send(client, "/api/auth/register", {**REGISTER, "display_name": "\\ud83d\\ude00"})
    assert response.status_code == 201
    assert User.objects.get().display_name == "\U0001f600"


@pytest.mark.django_db
def test_an_escaped_backslash_before_u_is_not_a_surrogate(client):
    response = send(client, "/api/auth/register", {**REGISTER, "display_name": "a\\\\ud800"})
    assert response.status_code == 201
    assert User.objects.get().display_name == "a\\ud800"
