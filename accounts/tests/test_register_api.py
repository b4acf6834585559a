"""POST /api/auth/register: 1.x bodies, statuses, messages and check order."""

from __future__ import annotations

import jwt
import pytest
from django.conf import settings

from accounts import models
from accounts.models import User
from realtime.events import UserRegistered
from realtime.payloads import UserRef
from realtime.publish import Everyone

from .conftest import post

GOOD = {"username": "Zanele_99", "display_name": "  Zanele M.  ", "password": "hunter2hunter2"}


def register(client, **changes):
    return post(client, "/api/auth/register", {**GOOD, **changes})


def _without(key):
    return {k: v for k, v in GOOD.items() if k != key}


@pytest.mark.django_db
def test_register_returns_201_with_a_1x_token_and_user(client):
    response = register(client)

    assert response.status_code == 201
    body = response.json()
    assert list(body) == ["token", "user"]
    user = User.objects.get(username="Zanele_99")
    assert body["user"] == {
        "id": user.pk,
        "username": "Zanele_99",
        "display_name": "Zanele M.",
        "last_room_id": None,
    }
    claims = jwt.decode(
        body["token"], settings.JWT_SECRET, algorithms=["HS256"], options={"verify_sub": False}
    )
    assert claims["sub"] == user.pk and isinstance(claims["sub"], int)
    assert (claims["username"], claims["display_name"]) == ("Zanele_99", "Zanele M.")
    assert claims["exp"] - claims["iat"] == 7 * 24 * 3600
    assert user.check_password("hunter2hunter2")


def test_register_publishes_user_registered_to_everyone(published, client):
    register(client)

    user = User.objects.get(username="Zanele_99")
    ref: UserRef = {"id": user.pk, "username": "Zanele_99", "display_name": "Zanele M."}
    assert published.sent == [(UserRegistered(user=ref), Everyone())]


@pytest.mark.django_db
def test_passwords_are_hashed_with_bcrypt_cost_12(client, monkeypatch):
    monkeypatch.setattr(models, "BCRYPT_COST", 12)

    register(client)

    stored = User.objects.get(username="Zanele_99").password
    assert stored.startswith("$2b$12$") and len(stored) == 60


@pytest.mark.django_db
def test_passwords_longer_than_72_bytes_still_log_in(client):
    password = "ü" * 60  # 120 bytes: bcrypt itself reads only 72
    assert register(client, password=password).status_code == 201

    response = post(client, "/api/auth/login", {"username": "zanele_99", "password": password})
    assert response.status_code == 200


REQUIRED = "username, display_name, and password are required"
USERNAME = "Username must be 3-32 characters, alphanumeric or underscore"
DISPLAY = "Display name must be 1-64 characters"
PASSWORD = "Password must be 8-128 characters"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {},
        _without("username"),
        _without("display_name"),
        _without("password"),
        {**GOOD, "username": ""},
        {**GOOD, "display_name": None},
        {**GOOD, "password": 0},
        {**GOOD, "password": False},
        # Falsy fields win over every other rule, as in 1.x.
        {**GOOD, "username": "a-b", "password": ""},
    ],
)
def test_missing_or_falsy_fields_are_required(client, body):
    response = post(client, "/api/auth/register", body)
    assert (response.status_code, response.json()) == (400, {"error": REQUIRED})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username",
    [
        "ab",
        "a" * 33,
        "has-dash",
        "has space",
        "émile",
        "name\n",
        "日本語です",
        12345,
        ["abc"],
        True,
    ],
)
def test_usernames_outside_the_rule_are_refused(client, username):
    response = register(client, username=username, password="short")
    # the password is also bad: the username rule comes first
    assert (response.status_code, response.json()) == (400, {"error": USERNAME})


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["abc", "a" * 32, "Under_score_9"])
def test_usernames_inside_the_rule_are_accepted(client, username):
    assert register(client, username=username).status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize(
    "display_name",
    ["   ", "\u3000\ufeff", "x" * 65, "\U0001f600" * 33, 42, ["Zanele"], {"a": 1}],
)
def test_display_names_outside_1_to_64_are_refused(client, display_name):
    response = register(client, display_name=display_name, password="x")
    # the password is also bad: the display-name rule comes first
    assert (response.status_code, response.json()) == (400, {"error": DISPLAY})


@pytest.mark.django_db
def test_display_name_length_is_counted_in_utf16_units_after_a_javascript_trim(client):
    assert register(client, username="emoji", display_name="\U0001f600" * 32).status_code == 201
    # U+001C is not whitespace to JavaScript's trim, so it is a one-character name.
    response = register(client, username="control", display_name="\u001c")
    assert response.status_code == 201
    assert User.objects.get(username="control").display_name == "\u001c"


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["short77", "p" * 129, 123456789, ["password1"]])
def test_passwords_outside_8_to_128_are_refused(client, password):
    response = register(client, password=password)
    assert (response.status_code, response.json()) == (400, {"error": PASSWORD})


@pytest.mark.django_db
def test_password_length_is_counted_in_utf16_units(client):
    assert register(client, password="\U0001f600" * 4).status_code == 201


@pytest.mark.django_db
def test_usernames_are_unique_regardless_of_case(client, alice):
    response = register(client, username="ALICE")
    assert (response.status_code, response.json()) == (409, {"error": "Username already taken"})


@pytest.mark.django_db
def test_validation_comes_before_the_taken_check(client, alice):
    response = register(client, username="alice", password="short")
    assert (response.status_code, response.json()) == (400, {"error": PASSWORD})


@pytest.mark.django_db
def test_a_malformed_json_body_is_a_400(client):
    response = post(client, "/api/auth/register", '{"username": "abc",')
    assert (response.status_code, response.json()) == (400, {"error": "Malformed JSON body"})


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["[1, 2]", '"text"', "null", ""])
def test_a_body_that_is_not_an_object_has_every_field_missing(client, raw):
    response = post(client, "/api/auth/register", raw)
    assert (response.status_code, response.json()) == (400, {"error": REQUIRED})


@pytest.mark.django_db
def test_a_form_encoded_body_has_every_field_missing(client):
    response = client.post("/api/auth/register", GOOD)
    assert (response.status_code, response.json()) == (400, {"error": REQUIRED})
