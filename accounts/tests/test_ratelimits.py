"""Rate limits per client address: login 20 attempts per 15 min; accounts created, 10 per hour
by default (REGISTER_RATE), failed attempts free. 1.x's messages, then when to try again."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from accounts.models import User
from accounts.ratelimits import client_address
from core.timefmt import duration_words

from .conftest import post

REGISTER_429 = "Too many registrations, please try again later"
LOGIN_429 = "Too many attempts, please try again later"


def refused_with(response, message):
    """The 429 keeps 1.x's message first (what 1.x clients show) and says when, in words."""
    assert response.status_code == 429, response.content
    wait = int(response["Retry-After"])
    assert response.json() == {"error": f"{message} (in {duration_words(wait)})"}
    return wait


def register(client, n, **extra):
    body = {"username": f"user_{n}", "display_name": f"User {n}", "password": "long enough"}
    return post(client, "/api/auth/register", body, **extra)


@pytest.mark.django_db
def test_the_eleventh_account_from_one_address_is_refused_while_another_still_registers(client):
    for n in range(10):
        assert register(client, n, REMOTE_ADDR="198.51.100.7").status_code == 201

    refused = register(client, 10, REMOTE_ADDR="198.51.100.7")
    other = register(client, 11, REMOTE_ADDR="198.51.100.8")

    wait = refused_with(refused, REGISTER_429)
    assert 0 < wait <= 3600
    assert refused["RateLimit-Policy"] == "10;w=3600"
    assert refused["RateLimit-Remaining"] == "0"
    assert other.status_code == 201
    assert not User.objects.filter(username="user_10").exists()


@pytest.mark.django_db
def test_failed_registrations_do_not_count(client, alice):
    # Typos, a taken name, a short password: a family's mistakes while signing up.
    for _ in range(20):
        assert post(client, "/api/auth/register", {}).status_code == 400
        taken = {"username": "alice", "display_name": "A", "password": "long enough"}
        assert post(client, "/api/auth/register", taken).status_code == 409
        short = {"username": "someone", "display_name": "S", "password": "short"}
        assert post(client, "/api/session/register", short).status_code == 400

    answers = [register(client, n) for n in range(11)]

    assert [a.status_code for a in answers] == [201] * 10 + [429]
    assert [a["RateLimit-Remaining"] for a in answers[:3]] == ["9", "8", "7"]


@pytest.mark.django_db
def test_a_refused_attempt_shows_the_uses_left(client):
    assert register(client, 1).status_code == 201
    failed = post(client, "/api/auth/register", {})
    assert (failed.status_code, failed["RateLimit-Remaining"]) == (400, "9")


@pytest.mark.django_db
def test_session_and_bearer_registrations_share_one_bucket(client, settings):
    settings.REGISTER_RATE = (2, 60)
    assert register(client, 1).status_code == 201
    browser = Client()
    body = {"username": "user_2", "display_name": "Two", "password": "long enough"}
    assert post(browser, "/api/session/register", body).status_code == 201
    body = {"username": "user_3", "display_name": "Three", "password": "long enough"}

    refused = post(Client(), "/api/session/register", body)

    assert 0 < refused_with(refused, REGISTER_429) <= 60


@pytest.mark.django_db
def test_the_rate_is_a_setting_and_zero_turns_it_off(client, settings):
    settings.REGISTER_RATE = (0, 1)
    assert [register(client, n).status_code for n in range(12)] == [201] * 12


@pytest.mark.django_db
def test_every_answer_carries_the_ratelimit_headers(client):
    response = post(client, "/api/auth/login", {})
    assert response.status_code == 400
    assert response["RateLimit-Policy"] == "20;w=900"
    assert response["RateLimit-Limit"] == "20"
    assert response["RateLimit-Remaining"] == "19"
    assert 0 < int(response["RateLimit-Reset"]) <= 900


@pytest.mark.django_db
def test_the_21st_login_attempt_is_refused(client):
    for _ in range(20):
        assert post(client, "/api/auth/login", {}).status_code == 400
    refused = post(client, "/api/auth/login", {"username": "a", "password": "b"})
    assert 0 < refused_with(refused, LOGIN_429) <= 900


@pytest.mark.django_db
def test_session_and_bearer_logins_share_one_bucket():
    browser = Client()
    for _ in range(20):
        assert post(browser, "/api/auth/login", {}).status_code == 400
    refused = post(browser, "/api/session/login", {})
    refused_with(refused, LOGIN_429)


@pytest.mark.django_db
def test_login_and_register_are_counted_apart(client):
    for _ in range(20):
        post(client, "/api/auth/login", {})
    assert register(client, 1).status_code == 201


@pytest.mark.django_db
def test_a_forged_forwarded_for_from_an_untrusted_peer_changes_nothing(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.REGISTER_RATE = (5, 3600)
    for n in range(5):
        forged = f"203.0.113.{n}"
        response = register(client, n, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=forged)
        assert response.status_code == 201

    refused = register(client, 5, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99")

    refused_with(refused, REGISTER_429)


@pytest.mark.django_db
def test_a_trusted_proxys_forwarded_for_is_the_client(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.REGISTER_RATE = (5, 3600)

    def via_proxy(n, forwarded):
        return register(client, n, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)

    for n in range(5):
        # What the client put in front of the proxy's own entry is not believed.
        assert via_proxy(n, f"192.0.2.{n}, 198.51.100.7").status_code == 201
    assert via_proxy(5, "198.51.100.7").status_code == 429
    assert via_proxy(6, "198.51.100.8").status_code == 201


def _request(peer, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/api/auth/login", **extra)


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "expected"),
    [
        ([], "198.51.100.7", "203.0.113.1", "198.51.100.7"),
        (["127.0.0.1"], "127.0.0.1", "203.0.113.1", "203.0.113.1"),
        (["127.0.0.1"], "127.0.0.1", None, "127.0.0.1"),
        (["10.0.0.0/8"], "10.1.2.3", "203.0.113.9, 10.9.9.9", "203.0.113.9"),
        (["10.0.0.0/8"], "10.1.2.3", "10.0.0.7, 10.9.9.9", "10.0.0.7"),
        (["10.0.0.0/8"], "10.1.2.3", "junk, 203.0.113.9", "203.0.113.9"),
        (["10.0.0.0/8"], "10.1.2.3", "203.0.113.9, junk", "10.1.2.3"),
        (["10.0.0.0/8"], "11.0.0.1", "203.0.113.9", "11.0.0.1"),
        (["fd00::/8"], "fd00::1", "2001:db8::5", "2001:db8::5"),
        (["127.0.0.1"], "::ffff:127.0.0.1", "203.0.113.4", "203.0.113.4"),
    ],
)
def test_client_address(settings, trusted, peer, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    assert client_address(_request(peer, forwarded)) == expected


@pytest.mark.django_db
def test_addresses_in_one_ipv6_64_share_a_bucket(client, settings):
    settings.REGISTER_RATE = (5, 3600)
    for n in range(5):
        assert register(client, n, REMOTE_ADDR=f"2001:db8::{n + 1}").status_code == 201
    assert register(client, 5, REMOTE_ADDR="2001:db8::ffff").status_code == 429
    assert register(client, 6, REMOTE_ADDR="2001:db8:0:1::1").status_code == 201
