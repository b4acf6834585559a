"""Signing in and registering as 1.x did, and landing where "no lurkers" says."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from harness.people import PASSWORD, Crowd

pytestmark = pytest.mark.browser

JWT_SHAPE = re.compile(r"^eyJ[\w-]*\.[\w-]*\.[\w-]*$")


def test_register_lands_in_general(crowd: Crowd) -> None:
    newbie = crowd.newcomer("newbie")
    page = newbie.page
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#auth-submit")).to_have_text("Create Account")
    page.get_by_label("Username").fill(newbie.username)
    page.get_by_label("Display Name").fill("New Person")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create Account").click()

    page.wait_for_url("**/")
    newbie.expect_in_room("General")
    expect(page.locator("#room-list .room-row.is-current")).to_contain_text("General")
    expect(newbie.room_members("General")).to_contain_text(["New Person (you)"])
    expect(page.locator("#me-name")).to_have_text("New Person")
    expect(page.locator("#me-username")).to_have_text(f"@{newbie.username}")
    # The session is an HttpOnly cookie; nothing of it is readable by scripts.
    assert page.evaluate("() => document.cookie").find("sessionid") == -1
    # No token in storage either: no JWT-shaped value, no key of ours naming one (livekit-client's
    # logger names, such as "loglevel:livekit-token-source", hold only a log level).
    stored = page.evaluate("() => Object.entries(localStorage)")
    assert [key for key, value in stored if JWT_SHAPE.match(value)] == []
    assert [key for key, _ in stored if key.startswith("distokoloshe") and "token" in key] == []


def test_sign_in_shows_server_errors_verbatim_and_waits(crowd: Crowd) -> None:
    bob = crowd.member("bob")
    bob.page.get_by_role("button", name="Log out").click()
    bob.page.wait_for_url("**/login")
    # The session really ended: the app sends us back to sign in.
    bob.page.goto("/")
    bob.page.wait_for_url("**/login")

    page = bob.page
    bob.allow_console(r"status of 401")
    page.get_by_label("Username").fill(bob.username)
    page.get_by_label("Password").fill("wrong password")
    # Record every label the button shows, so the short "Please wait..." is seen too.
    page.evaluate(
        """() => {
            const button = document.getElementById('auth-submit');
            window.__labels = [];
            new MutationObserver(() => window.__labels.push(button.textContent))
              .observe(button, { childList: true, characterData: true, subtree: true });
        }"""
    )
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator("#auth-error")).to_have_text("Invalid credentials")
    assert "Please wait..." in page.evaluate("() => window.__labels")
    expect(page.locator("#auth-submit")).to_have_text("Sign In")

    # Switching to register keeps the typed values and the error, as in 1.x.
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_label("Username")).to_have_value(bob.username)
    expect(page.locator("#auth-error")).to_have_text("Invalid credentials")
    bob.allow_console(r"status of 409")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create Account").click()
    expect(page.locator("#auth-error")).to_have_text("Username already taken")

    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")
    bob.expect_in_room("General")


def test_returning_user_lands_in_last_room_after_reload(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    room = crowd.unique("Den")
    alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    alice.join(room)
    alice.page.reload()
    alice.expect_in_room(room)
    expect(alice.page).to_have_title(f"{room} · disTokoloshe")
    expect(alice.room_members(room)).to_have_text([f"{alice.display_name} (you)"])
