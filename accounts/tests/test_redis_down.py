"""Signing in while Redis (the shared cache the rate limits count in) is down: it still works,
and the limits still hold, counted in the process's memory until Redis is back."""

from __future__ import annotations

import pytest

from harness.servers import redis_server

from .conftest import post


@pytest.fixture
def redis_down(settings):
    with redis_server() as server:
        # The cache as configured, on a Redis of its own that then stops.
        default = {**settings.CACHES["default"], "LOCATION": server.url, "KEY_PREFIX": "outage"}
        settings.CACHES = {"default": default}
        server.process.terminate()
        server.process.wait(timeout=10)
        yield


@pytest.mark.django_db
def test_register_and_login_answer_while_redis_is_down(redis_down, client):
    body = {"username": "newcomer", "display_name": "Newcomer", "password": "long enough"}
    registered = post(client, "/api/auth/register", body)
    logged_in = post(client, "/api/auth/login", {"username": "newcomer", "password": "long enough"})
    wrong = post(client, "/api/auth/login", {"username": "newcomer", "password": "not it at all"})

    assert registered.status_code == 201, registered.content
    assert logged_in.status_code == 200 and logged_in.json()["user"]["username"] == "newcomer"
    assert (wrong.status_code, wrong.json()) == (401, {"error": "Invalid credentials"})


@pytest.mark.django_db
def test_the_login_limit_still_holds_while_redis_is_down(redis_down, client):
    for _ in range(20):
        assert post(client, "/api/auth/login", {}).status_code == 400
    refused = post(client, "/api/auth/login", {"username": "a", "password": "b"})
    assert refused.status_code == 429
    assert refused.json()["error"].startswith("Too many attempts, please try again later (in ")


@pytest.mark.django_db
def test_the_registration_limit_still_holds_while_redis_is_down(redis_down, client, settings):
    settings.REGISTER_RATE = (2, 3600)
    for n in range(2):
        body = {"username": f"family_{n}", "display_name": "Family", "password": "long enough"}
        assert post(client, "/api/auth/register", body).status_code == 201
    body = {"username": "family_2", "display_name": "Family", "password": "long enough"}
    refused = post(client, "/api/auth/register", body)
    assert refused.status_code == 429
    assert refused.json()["error"].startswith("Too many registrations, please try again later (in ")
