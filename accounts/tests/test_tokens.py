"""The 1.x bearer token: what 1.x minted is accepted here, what we mint is accepted by 1.x's
library, and a `sub` that only looks like a number names nobody."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import jwt
import pytest
from django.conf import settings

from accounts.authentication import token_authenticate
from accounts.tokens import token_mint
from core.errors import Unauthorized
from tests.support import jsonwebtoken

from .conftest import bearer

SEVEN_DAYS = 604800


def _me(client, token):
    response = client.get("/api/auth/me", **bearer(token))
    return response.status_code, response.json()


@pytest.mark.django_db
def test_a_token_minted_by_1x_is_accepted(client, alice):
    token = jsonwebtoken.sign(
        {"sub": alice.pk, "username": "alice", "display_name": "Alice"}, settings.JWT_SECRET
    )

    status, body = _me(client, token)

    assert (status, body["user"]["id"], body["user"]["username"]) == (200, alice.pk, "alice")
    assert token_authenticate(token) == alice


@pytest.mark.django_db
def test_ours_is_accepted_by_1x_with_exactly_its_claims(alice):
    before = int(time.time())

    claims = jsonwebtoken.verify(token_mint(user=alice), settings.JWT_SECRET)

    assert list(claims) == ["sub", "username", "display_name", "iat", "exp"]
    assert type(claims["sub"]) is int
    assert claims["sub"] == alice.pk
    assert (claims["username"], claims["display_name"]) == ("alice", "Alice")
    assert before <= claims["iat"] <= int(time.time())
    assert claims["exp"] - claims["iat"] == SEVEN_DAYS


@pytest.mark.django_db
def test_the_same_claims_make_the_same_token_as_1x(alice):
    issued = 1_750_000_000
    ours = token_mint(user=alice, now=datetime.fromtimestamp(issued, UTC))

    theirs = jsonwebtoken.sign(
        {"sub": alice.pk, "username": "alice", "display_name": "Alice", "iat": issued},
        settings.JWT_SECRET,
    )

    assert ours == theirs


@pytest.mark.django_db
def test_a_display_name_beyond_ascii_survives_both_ways(client, make_user):
    zoe = make_user("zoe", "Zoë 🎧 ١٢")
    theirs = jsonwebtoken.sign(
        {"sub": zoe.pk, "username": "zoe", "display_name": zoe.display_name}, settings.JWT_SECRET
    )

    assert _me(client, theirs)[0] == 200
    assert jsonwebtoken.verify(token_mint(user=zoe), settings.JWT_SECRET)["display_name"] == (
        "Zoë 🎧 ١٢"
    )


@pytest.mark.django_db
def test_a_token_from_another_secret_is_refused_by_both(client, alice):
    other = "another-secret-0123456789abcdef0123456789abcdef"
    theirs = jsonwebtoken.sign({"sub": alice.pk, "username": "alice"}, other)

    assert _me(client, theirs) == (401, {"error": "Invalid or expired token"})
    with pytest.raises(AssertionError, match="invalid signature"):
        jsonwebtoken.verify(token_mint(user=alice), other)


def _digits(number: int, zero: str) -> str:
    return "".join(chr(ord(zero) + int(d)) for d in str(number))


def _with_sub(alice, sub) -> str:
    now = int(time.time())
    claims = {"sub": sub, "username": "alice", "display_name": "Alice", "iat": now}
    return jwt.encode({**claims, "exp": now + 60}, settings.JWT_SECRET, algorithm="HS256")


# Each of these is a digit to str.isdigit, and all but "²" to int(): a forged-looking `sub` that
# the old check turned into alice's id (or a 500).
NOT_A_USER_ID = {
    "arabic-indic": lambda pk: _digits(pk, "\u0660"),
    "fullwidth": lambda pk: _digits(pk, "\uff10"),
    "devanagari": lambda pk: _digits(pk, "\u0966"),
    "superscript": lambda pk: "\u00b2",
    "signed": lambda pk: f"+{pk}",
    "spaced": lambda pk: f" {pk}",
    "negative": lambda pk: -pk,
    "zero": lambda pk: 0,
    "float": lambda pk: float(pk),
    "beyond-any-row": lambda pk: 2**70,
    "list": lambda pk: [pk],
}


@pytest.mark.django_db
@pytest.mark.parametrize("make_sub", NOT_A_USER_ID.values(), ids=NOT_A_USER_ID.keys())
def test_a_sub_that_is_not_a_plain_user_id_is_refused(client, alice, make_sub):
    token = _with_sub(alice, make_sub(alice.pk))

    assert _me(client, token) == (401, {"error": "Invalid or expired token"})
    with pytest.raises(Unauthorized, match="Invalid or expired token"):
        token_authenticate(token)


@pytest.mark.django_db
def test_a_sub_of_plain_ascii_digits_is_the_user(client, alice):
    assert _me(client, _with_sub(alice, str(alice.pk)))[0] == 200


@pytest.mark.django_db
def test_a_token_without_sub_or_exp_is_refused(client, alice):
    now = int(time.time())
    no_sub = jwt.encode({"exp": now + 60}, settings.JWT_SECRET, algorithm="HS256")
    no_exp = jwt.encode({"sub": alice.pk}, settings.JWT_SECRET, algorithm="HS256")

    for token in (no_sub, no_exp):
        assert _me(client, token) == (401, {"error": "Invalid or expired token"})


@pytest.mark.django_db
def test_a_token_expiring_this_second_is_refused_as_1x_does(client, alice):
    now = int(time.time())
    token = jwt.encode(
        {"sub": alice.pk, "iat": now - 60, "exp": now}, settings.JWT_SECRET, algorithm="HS256"
    )

    assert _me(client, token) == (401, {"error": "Invalid or expired token"})
    with pytest.raises(AssertionError, match="jwt expired"):
        jsonwebtoken.verify(token, settings.JWT_SECRET)
