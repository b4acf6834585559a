"""The browser UI's session API: CSRF, login, register, logout, and log out everywhere."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from accounts.tokens import token_mint
from conftest import PERSONA_PASSWORD

from .conftest import bearer, post


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def csrf(browser: Client) -> dict[str, str]:
    response = browser.get("/api/csrf")
    assert response.status_code == 200
    token = response.json()["csrfToken"]
    assert browser.cookies["csrftoken"].value
    return {"HTTP_X_CSRFTOKEN": token}


def session_login(browser: Client, username: str = "alice") -> None:
    response = post(
        browser,
        "/api/session/login",
        {"username": username, "password": PERSONA_PASSWORD},
        **csrf(browser),
    )
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_session_login_sets_an_httponly_cookie_and_me_works_with_it(browser, alice):
    response = post(
        browser,
        "/api/session/login",
        {"username": "Alice", "password": PERSONA_PASSWORD},
        **csrf(browser),
    )

    assert response.status_code == 200
    assert response.json() == {
        "user": {"id": alice.pk, "username": "alice", "display_name": "Alice", "last_room_id": None}
    }
    assert "token" not in response.json()
    cookie = browser.cookies["sessionid"]
    assert cookie["httponly"] is True and cookie["samesite"] == "Lax"
    me = browser.get("/api/auth/me")
    assert me.status_code == 200 and me.json()["user"]["username"] == "alice"


@pytest.mark.django_db
def test_session_login_without_csrf_cookie_is_refused(browser, alice):
    response = post(
        browser, "/api/session/login", {"username": "alice", "password": PERSONA_PASSWORD}
    )
    assert (response.status_code, response.json()) == (
        403,
        {"error": "CSRF Failed: CSRF cookie not set."},
    )
    assert "sessionid" not in browser.cookies


@pytest.mark.django_db
def test_session_login_without_csrf_header_is_refused(browser, alice):
    csrf(browser)
    response = post(
        browser, "/api/session/login", {"username": "alice", "password": PERSONA_PASSWORD}
    )
    assert (response.status_code, response.json()) == (
        403,
        {"error": "CSRF Failed: CSRF token missing."},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"username": "alice"}, 400, "username and password are required"),
        ({"username": "alice", "password": "nope nope"}, 401, "Invalid credentials"),
        ({"username": "nobody", "password": PERSONA_PASSWORD}, 401, "Invalid credentials"),
    ],
)
def test_session_login_answers_like_1x_login(browser, alice, body, status, error):
    response = post(browser, "/api/session/login", body, **csrf(browser))
    assert (response.status_code, response.json()) == (status, {"error": error})
    assert "sessionid" not in browser.cookies


@pytest.mark.django_db
def test_session_register_creates_the_user_and_a_session(browser):
    response = post(
        browser,
        "/api/session/register",
        {"username": "newbie", "display_name": " New Bie ", "password": "long enough"},
        **csrf(browser),
    )

    assert response.status_code == 201
    user = User.objects.get(username="newbie")
    assert response.json() == {
        "user": {
            "id": user.pk,
            "username": "newbie",
            "display_name": "New Bie",
            "last_room_id": None,
        }
    }
    assert browser.get("/api/auth/me").json()["user"]["id"] == user.pk


@pytest.mark.django_db
def test_session_register_answers_like_1x_register(browser, alice):
    body = {"username": "ALICE", "display_name": "A", "password": "long enough"}
    response = post(browser, "/api/session/register", body, **csrf(browser))
    assert (response.status_code, response.json()) == (409, {"error": "Username already taken"})
    response = post(browser, "/api/session/register", {"username": "x"}, **csrf(browser))
    assert response.json() == {"error": "username, display_name, and password are required"}


@pytest.mark.django_db
def test_session_register_needs_csrf(browser):
    body = {"username": "newbie", "display_name": "N", "password": "long enough"}
    response = post(browser, "/api/session/register", body)
    assert response.status_code == 403
    assert not User.objects.filter(username="newbie").exists()


@pytest.mark.django_db
def test_unsafe_calls_with_a_session_need_csrf(browser, alice):
    session_login(browser)

    refused = post(browser, "/api/rooms", {"name": "Sneaky"})
    allowed = post(browser, "/api/rooms", {"name": "Honest"}, **csrf(browser))

    assert (refused.status_code, refused.json()["error"]) == (
        403,
        "CSRF Failed: CSRF token missing.",
    )
    assert allowed.status_code == 201


@pytest.mark.django_db
def test_bearer_calls_need_no_csrf(browser, alice):
    response = post(
        browser, "/api/rooms", {"name": "Bearer room"}, **bearer(token_mint(user=alice))
    )
    assert response.status_code == 201


@pytest.mark.django_db
def test_logout_ends_the_session(browser, alice):
    session_login(browser)

    response = post(browser, "/api/session/logout", **csrf(browser))

    assert (response.status_code, response.json()) == (200, {"loggedOut": True})
    assert browser.get("/api/auth/me").status_code == 401


@pytest.mark.django_db
def test_logout_of_a_session_needs_csrf(browser, alice):
    session_login(browser)
    response = post(browser, "/api/session/logout")
    assert response.status_code == 403
    assert browser.get("/api/auth/me").status_code == 200


@pytest.mark.django_db
def test_logout_without_a_session_is_fine(browser):
    response = post(browser, "/api/session/logout")
    assert (response.status_code, response.json()) == (200, {"loggedOut": True})


# --- log out everywhere ------------------------------------------------------------------------


@pytest.mark.django_db
def test_logout_all_with_a_bearer_refuses_every_earlier_token_and_ends_sessions(client, alice):
    browser = Client(enforce_csrf_checks=True)
    session_login(browser)
    first, second = token_mint(user=alice), token_mint(user=alice)

    response = post(client, "/api/auth/logout-all", **bearer(first))

    assert (response.status_code, response.json()) == (200, {"loggedOut": True})
    for token in (first, second):
        refused = client.get("/api/auth/me", **bearer(token))
        assert (refused.status_code, refused.json()) == (401, {"error": "Invalid or expired token"})
    assert browser.get("/api/auth/me").status_code == 401


@pytest.mark.django_db
def test_a_login_right_after_logout_all_gets_a_working_token(client, alice):
    post(client, "/api/auth/logout-all", **bearer(token_mint(user=alice)))

    fresh = post(client, "/api/auth/login", {"username": "alice", "password": PERSONA_PASSWORD})

    assert client.get("/api/auth/me", **bearer(fresh.json()["token"])).status_code == 200


@pytest.mark.django_db
def test_logout_all_from_a_session_keeps_that_session_only(alice, bob):
    here, elsewhere, bobs = (Client(enforce_csrf_checks=True) for _ in range(3))
    session_login(here)
    session_login(elsewhere)
    session_login(bobs, "bob")
    token = token_mint(user=alice)

    response = post(here, "/api/auth/logout-all", **csrf(here))

    assert response.status_code == 200
    assert here.get("/api/auth/me").status_code == 200
    assert elsewhere.get("/api/auth/me").status_code == 401
    assert bobs.get("/api/auth/me").status_code == 200
    assert here.get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


@pytest.mark.django_db
def test_logout_all_needs_authentication(client):
    response = post(client, "/api/auth/logout-all")
    assert (response.status_code, response.json()) == (
        401,
        {"error": "Missing authorization token"},
    )
