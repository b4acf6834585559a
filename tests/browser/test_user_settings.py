"""The settings by the user panel: there before any call and with the media server down (this
server runs none), with a microphone test that needs no call, and the account: a new name seen
live by others, a password change that signs out the other browser, and a deletion that says
what becomes of my rooms."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.people import PASSWORD, Crowd

pytestmark = pytest.mark.browser


def test_settings_open_without_a_call_and_the_mic_test_meters(crowd: Crowd) -> None:
    alice = crowd.member("alice", "Alice")
    page = alice.page
    expect(page.locator("#room-status")).to_contain_text("Media server unreachable")
    page.get_by_role("button", name="Settings", exact=True).click()
    dialog = page.get_by_role("dialog", name="Settings")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("tab", name="Voice & video")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(dialog.locator("#settings-mic")).to_be_visible()
    expect(dialog.locator("#settings-sound-pack")).to_be_visible()
    expect(dialog.get_by_role("button", name="Push to Talk key:", exact=False)).to_be_visible()

    dialog.get_by_role("button", name="Test microphone").click()
    expect(dialog.get_by_role("button", name="Stop test")).to_be_visible()
    # Chromium's fake microphone plays a tone: the meter moves.
    page.wait_for_function(
        "() => parseFloat(document.querySelector('.settings-meter-fill').style.width) > 0"
    )
    dialog.get_by_role("button", name="Stop test").click()
    expect(dialog.get_by_role("button", name="Test microphone")).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_a_new_name_is_seen_live_by_others(crowd: Crowd) -> None:
    alice = crowd.member("alice", "Alice")
    bob = crowd.member("bob", "Bob")
    # The blank name below is refused with a 400, which the browser logs.
    alice.allow_console("status of 400")
    page = alice.page
    page.get_by_role("button", name="Settings", exact=True).click()
    dialog = page.get_by_role("dialog", name="Settings")
    dialog.get_by_role("tab", name="Account").click()
    dialog.locator("#account-display-name").fill("Alice the Great")
    dialog.get_by_role("button", name="Save name").click()
    expect(dialog.locator("#account-name-outcome")).to_have_text(
        "Saved: everyone sees the new name."
    )
    expect(page.locator("#me-name")).to_have_text("Alice the Great")
    bobs = bob.page.locator("#online-list .person-name", has_text="Alice the Great")
    expect(bobs).to_be_visible(timeout=15000)

    dialog.locator("#account-display-name").fill("   ")
    dialog.get_by_role("button", name="Save name").click()
    expect(dialog.locator("#account-name-outcome")).to_have_text(
        "Display name must be 1-64 characters"
    )


def test_a_password_change_signs_out_the_other_browser_only(crowd: Crowd) -> None:
    alice = crowd.member("alice", "Alice")
    # The wrong current password below is refused with a 400, which the browser logs.
    alice.allow_console("status of 400")
    other = crowd.browser.new_context(base_url=crowd.base_url)
    try:
        elsewhere = other.new_page()
        elsewhere.goto("/login")
        elsewhere.locator("#username").fill(alice.username)
        elsewhere.locator("#password").fill(PASSWORD)
        elsewhere.locator("#auth-submit").click()
        expect(elsewhere.locator("#room-status")).to_contain_text("member", timeout=30000)

        page = alice.page
        page.get_by_role("button", name="Settings", exact=True).click()
        dialog = page.get_by_role("dialog", name="Settings")
        dialog.get_by_role("tab", name="Account").click()
        dialog.get_by_label("Current password").fill("not my password")
        dialog.get_by_label("New password", exact=True).fill("a whole new secret")
        dialog.get_by_label("New password again").fill("a whole new secret")
        dialog.get_by_role("button", name="Change password").click()
        outcome = dialog.locator("#account-password-outcome")
        expect(outcome).to_have_text("Current password is incorrect")

        dialog.get_by_label("Current password").fill(PASSWORD)
        dialog.get_by_role("button", name="Change password").click()
        # The other browser is signed out; this one stays signed in. (Its live stream was
        # opened with the session key that the change cycles, so the page comes back through
        # a reload: it must land in the app, not on the sign-in page.)
        elsewhere.wait_for_url("**/login", timeout=60000)
        expect(page.locator("#room-name")).not_to_have_text("Select a room to join", timeout=30000)
        assert not page.url.endswith("/login")
    finally:
        other.close()


def test_deleting_the_account_says_what_happens_to_my_rooms(crowd: Crowd) -> None:
    name = crowd.unique("Leaver")
    alice = crowd.member("alice", name)
    bob = crowd.member("bob", "Bob")
    page = alice.page
    page.get_by_role("button", name="Settings", exact=True).click()
    dialog = page.get_by_role("dialog", name="Settings")
    dialog.get_by_role("tab", name="Account").click()
    expect(dialog.locator("#account-delete-explained")).to_contain_text(
        "Rooms you created stay for everyone in them"
    )
    dialog.get_by_label("Your password").fill(PASSWORD)
    dialog.get_by_role("button", name="Delete my account").click()
    page.get_by_role("dialog", name="Delete your account?").get_by_role(
        "button", name="Delete my account"
    ).click()
    page.wait_for_url("**/login", timeout=30000)
    expect(bob.page.locator("#people-panel .person-name", has_text=name)).to_have_count(0)
