"""Rate limits per client address: login 20 per 15 min, register 5 per hour, 1.x messages."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from accounts.ratelimits import client_address

from .conftest import post

REGISTER_429 = {"error": "Too many registrations, please try again later"}
LOGIN_429 = {"error": "Too many attempts, please try again later"}


def register(client, n, **extra):
    body = {"username": f"user_{n}", "display_name": f"User {n}", "password": "long enough"}
    return post(client, "/api/auth/register", body, **extra)


@pytest.mark.django_db
def test_the_sixth_registration_from_one_address_is_refused_while_another_still_registers(client):
    for n in range(5):
        assert register(client, n, REMOTE_ADDR="198.51.100.7").status_code == 201

    refused = register(client, 5, REMOTE_ADDR="198.51.100.7")
    other = register(client, 6, REMOTE_ADDR="198.51.100.8")

    assert (refused.status_code, refused.json()) == (429, REGISTER_429)
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert refused["RateLimit-Policy"] == "5;w=3600"
    assert refused["RateLimit-Remaining"] == "0"
    assert other.status_code == 201


@pytest.mark.django_db
def test_failed_registrations_count_too(client):
    for _ in range(5):
        assert post(client, "/api/auth/register", {}).status_code == 400
    assert register(client, 1).status_code == 429


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
    assert (refused.status_code, refused.json()) == (429, LOGIN_429)
    assert int(refused["Retry-After"]) > 0


@pytest.mark.django_db
def test_session_and_bearer_logins_share_one_bucket():
    browser = Client()
    for _ in range(20):
        assert post(browser, "/api/auth/login", {}).status_code == 400
    refused = post(browser, "/api/session/login", {})
    assert (refused.status_code, refused.json()) == (429, LOGIN_429)


@pytest.mark.django_db
def test_login_and_register_are_counted_apart(client):
    for _ in range(20):
        post(client, "/api/auth/login", {})
    assert register(client, 1).status_code == 201


@pytest.mark.django_db
def test_a_forged_forwarded_for_from_an_untrusted_peer_changes_nothing(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for n in range(5):
        forged = f"203.0.113.{n}"
        response = register(client, n, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=forged)
        assert response.status_code == 201

    refused = register(client, 5, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99")

    assert (refused.status_code, refused.json()) == (429, REGISTER_429)


@pytest.mark.django_db
def test_a_trusted_proxys_forwarded_for_is_the_client(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

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
def test_addresses_in_one_ipv6_64_share_a_bucket(client):
    for n in range(5):
        assert register(client, n, REMOTE_ADDR=f"2001:db8::{n + 1}").status_code == 201
    assert register(client, 5, REMOTE_ADDR="2001:db8::ffff").status_code == 429
    assert register(client, 6, REMOTE_ADDR="2001:db8:0:1::1").status_code == 201
