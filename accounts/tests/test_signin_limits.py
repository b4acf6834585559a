"""Every way to sign in (bearer API, browser session, admin) has the same limits: per client
address (20 per 15 min, one bucket) and per account, whatever the address (a delay that doubles
after five failures, capped, reset by a success, never holding back an address the owner
signed in from)."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import PERSONA_PASSWORD
from core.timefmt import duration_words

from .conftest import post

HELD_BACK = "Too many failed sign-ins for this account, please try again later (in 1 second)"
ADDRESS_LIMIT = "Too many attempts, please try again later (in {wait})"


def api_login(client, password, address, username="alice", path="/api/auth/login"):
    body = {"username": username, "password": password}
    return post(client, path, body, REMOTE_ADDR=address)


def admin_login(client, password, address, username="alice"):
    body = {"username": username, "password": password, "next": "/admin/"}
    return client.post("/admin/login/", body, REMOTE_ADDR=address)


@pytest.fixture
def clock(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr("accounts.lockout._now", lambda: now[0])
    return now


# --- Per address, the admin too (issue: thirty wrong admin passwords all answered 200) -----------


@pytest.mark.django_db
def test_the_21st_admin_sign_in_from_one_address_is_refused(client, make_user):
    for n in range(20):
        response = admin_login(client, "wrong", "198.51.100.7", username=f"nobody{n}")
        assert response.status_code == 200  # the form again, with its error
    refused = admin_login(client, "wrong", "198.51.100.7", username="nobody99")
    other = admin_login(client, "wrong", "198.51.100.8", username="nobody99")

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 900
    wait = duration_words(int(refused["Retry-After"]))
    assert refused.content.decode() == ADDRESS_LIMIT.format(wait=wait)
    assert other.status_code == 200


@pytest.mark.django_db
def test_the_admin_and_the_api_share_one_bucket_per_address(client):
    for n in range(20):
        assert api_login(client, "wrong", "198.51.100.7", username=f"x{n}").status_code == 401
    assert admin_login(client, "wrong", "198.51.100.7").status_code == 429


@pytest.mark.django_db
def test_looking_at_the_admin_sign_in_page_counts_nothing(client):
    for _ in range(25):
        assert client.get("/admin/login/", REMOTE_ADDR="198.51.100.7").status_code == 200
    assert admin_login(client, "wrong", "198.51.100.7", username="nobody").status_code == 200


# --- Per account, from any address ---------------------------------------------------------------


@pytest.mark.django_db
def test_five_failures_from_five_addresses_hold_the_account_back_even_for_the_password(
    client, alice
):
    for n in range(5):
        assert api_login(client, "wrong", f"203.0.113.{n}").status_code == 401
    refused = api_login(client, PERSONA_PASSWORD, "203.0.113.99")

    assert (refused.status_code, refused.json()) == (429, {"error": HELD_BACK})
    assert refused["Retry-After"] == "1"


@pytest.mark.django_db
def test_the_delay_doubles_with_each_failure_and_stops_at_fifteen_minutes(clock, client, alice):
    waits, words = [], []
    for n in range(20):
        response = api_login(client, "wrong", f"203.0.113.{n}")
        if response.status_code == 429:
            waits.append(int(response["Retry-After"]))
            words.append(response.json()["error"].partition(" (in ")[2])
            clock[0] += waits[-1]
            response = api_login(client, "wrong", f"203.0.113.{n}")
        assert response.status_code == 401, n
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900, 900]
    assert words[:3] + words[6:11] == [
        "1 second)",
        "2 seconds)",
        "4 seconds)",
        "1 minute 4 seconds)",
        "3 minutes)",
        "5 minutes)",
        "9 minutes)",
        "15 minutes)",
    ]


@pytest.mark.django_db
def test_attempts_refused_while_held_back_neither_count_nor_check_the_password(
    clock, client, alice, monkeypatch
):
    for n in range(5):
        api_login(client, "wrong", f"203.0.113.{n}")
    checked = []
    monkeypatch.setattr(type(alice), "check_password", lambda self, raw: checked.append(raw))
    for _ in range(10):
        assert api_login(client, PERSONA_PASSWORD, "203.0.113.50").status_code == 429
    clock[0] += 1
    monkeypatch.undo()
    assert checked == []
    assert api_login(client, PERSONA_PASSWORD, "203.0.113.50").status_code == 200


@pytest.mark.django_db
def test_a_success_resets_the_count(client, alice):
    for n in range(4):
        api_login(client, "wrong", f"203.0.113.{n}")
    assert api_login(client, PERSONA_PASSWORD, "203.0.113.9").status_code == 200
    for n in range(4):
        assert api_login(client, "wrong", f"203.0.113.{n}").status_code == 401
    assert api_login(client, PERSONA_PASSWORD, "203.0.113.10").status_code == 200


@pytest.mark.django_db
def test_an_address_the_owner_signed_in_from_is_not_held_back(clock, client, alice):
    assert api_login(client, PERSONA_PASSWORD, "192.0.2.10").status_code == 200
    for n in range(30):
        api_login(client, "wrong", f"203.0.113.{n}")
        clock[0] += 1000  # the guesser waits out every delay

    assert api_login(client, "wrong", "203.0.113.200").status_code == 401
    assert api_login(client, PERSONA_PASSWORD, "203.0.113.201").status_code == 429
    assert api_login(client, PERSONA_PASSWORD, "192.0.2.10").status_code == 200


@pytest.mark.django_db
def test_unknown_usernames_are_held_back_alike(client):
    for n in range(5):
        api_login(client, "wrong", f"203.0.113.{n}", username="ghost")
    refused = api_login(client, "wrong", "203.0.113.99", username="GHOST")
    assert (refused.status_code, refused.json()) == (429, {"error": HELD_BACK})


@pytest.mark.django_db
def test_the_session_and_admin_sign_ins_are_held_back_too(client, alice):
    alice.is_staff = True
    alice.save()
    for n in range(5):
        api_login(client, "wrong", f"203.0.113.{n}")

    session = api_login(Client(), PERSONA_PASSWORD, "203.0.113.50", path="/api/session/login")
    staff = admin_login(Client(), PERSONA_PASSWORD, "203.0.113.51")

    assert (session.status_code, session.json()) == (429, {"error": HELD_BACK})
    assert (staff.status_code, staff.content.decode()) == (429, HELD_BACK)
    assert staff["Retry-After"] == "1"


@pytest.mark.django_db
def test_failures_at_the_admin_count_for_the_api(client, alice):
    for n in range(5):
        assert admin_login(client, "wrong", f"203.0.113.{n}").status_code == 200
    refused = api_login(client, PERSONA_PASSWORD, "203.0.113.99")
    assert (refused.status_code, refused.json()) == (429, {"error": HELD_BACK})
