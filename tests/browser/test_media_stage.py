"""The media stage on the real room page, against the in-page fake LiveKit: video on the
tiles, the spotlight with its picture-in-picture, fullscreen and stream-audio buttons,
speaking rings and dots, local mutes that are remembered, the encryption warning on a tile,
and whispers dimming everyone but my source."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, expect

from harness.people import Crowd, Person

from .axe import serious_violations

pytestmark = pytest.mark.browser

CONNECTED = "() => window.__sfu?.room()?.state === 'connected'"


def in_call(person: Person) -> None:
    person.page.wait_for_function(CONNECTED)


def expect_playing(video: Locator) -> None:
    """The element shows moving pictures, not just a srcObject."""
    expect(video).to_be_visible()
    video.page.wait_for_function(
        "(v) => v.videoWidth > 0 && v.readyState >= 2 && !v.paused", arg=video.element_handle()
    )


def member_row(person: Person, name: str) -> Locator:
    return person.page.locator("#room-list .member-row", has_text=name)


def test_cameras_and_a_screen_share_reach_the_tiles_and_the_spotlight(crowd: Crowd) -> None:
    # axe is injected as an inline script, which our CSP rightly refuses: Alice skips CSP here,
    # and the other test watches it on the same views.
    alice = crowd.member("alice", sfu=True, bypass_csp=True)
    bob = crowd.member("bob", "Bob Builder")
    in_call(alice)
    page = alice.page

    # My camera, from the control bar, mirrored on my own tile.
    page.locator("#media-camera-button").click()
    mine = alice.tile(alice.display_name).locator(".tile-video")
    expect_playing(mine)
    expect(mine).to_have_class("tile-video is-mirrored")
    expect(alice.tile(alice.display_name).locator(".tile-avatar")).to_be_hidden()

    # Bob shares his screen: his tile shows it whole, and a click opens the spotlight.
    alice.sfu.add_remote(bob.username, bob.display_name)
    alice.sfu.publish(bob.username, "screen_share")
    bobs = alice.tile(bob.display_name)
    expect_playing(bobs.locator(".tile-video"))
    expect(bobs.locator(".tile-video")).to_have_class("tile-video is-share")
    # Renders come many times a second; none of them may attach the track again.
    bobs.locator(".tile-video").evaluate("(v) => { window.__shown = v.srcObject; }")
    alice.sfu.speaking([bob.username])
    expect(bobs).to_have_class(_has("is-speaking"))
    alice.sfu.speaking([])
    expect(bobs).not_to_have_class(_has("is-speaking"))
    assert bobs.locator(".tile-video").evaluate("(v) => v.srcObject === window.__shown")
    bobs.get_by_role("button", name="Open Bob Builder's screen share").click()
    stage = page.locator("#media-stage .spotlight")
    expect(stage.get_by_role("heading")).to_have_text("Bob Builder's screen share")
    expect_playing(stage.locator(".spotlight-video"))
    expect(stage.get_by_role("button", name="Fullscreen")).to_be_visible()
    expect(stage.get_by_role("button", name="Picture in picture")).to_be_visible()
    expect(stage.locator(".spotlight-pip")).to_be_hidden()
    expect(stage.get_by_role("button", name="Mute stream audio")).to_be_hidden()

    # With his camera on too, the tile shows the camera and the share as a thumbnail, and the
    # spotlight's small box swaps the two.
    alice.sfu.publish(bob.username, "camera")
    expect(bobs.locator(".tile-video")).to_have_class("tile-video")
    expect_playing(bobs.locator(".tile-thumb-video"))
    small = stage.get_by_role("button", name="Show Bob Builder's camera large")
    expect_playing(small.locator("video"))
    assert serious_violations(page) == []
    small.click()
    expect(stage.get_by_role("heading")).to_have_text("Bob Builder's camera")
    stage.get_by_role("button", name="Show Bob Builder's screen share large").click()
    expect(stage.get_by_role("heading")).to_have_text("Bob Builder's screen share")

    # The shared tab's sound can be muted, and stays muted when the track comes back.
    alice.sfu.publish(bob.username, "screen_share_audio")
    stream = stage.get_by_role("button", name="Mute stream audio")
    expect(stream).to_have_attribute("aria-pressed", "false")
    stream.click()
    expect(stream).to_have_attribute("aria-pressed", "true")
    alice.sfu.unpublish(bob.username, "screen_share_audio")
    expect(stream).to_be_hidden()
    alice.sfu.publish(bob.username, "screen_share_audio")
    expect(stream).to_have_attribute("aria-pressed", "true")

    stage.get_by_role("button", name="Fullscreen").click()
    expect(stage.get_by_role("button", name="Exit fullscreen")).to_be_visible()
    stage.get_by_role("button", name="Exit fullscreen").click()
    expect(stage.get_by_role("button", name="Fullscreen")).to_be_visible()

    # The thumbnail opens it too, and Dismiss gives focus back to what opened it.
    stage.get_by_role("button", name="Dismiss").click()
    expect(stage).to_be_hidden()
    thumb = bobs.get_by_role("button", name="Open Bob Builder's screen share")
    thumb.click()
    expect(stage.get_by_role("heading")).to_have_text("Bob Builder's screen share")
    stage.get_by_role("button", name="Dismiss").focus()
    page.keyboard.press("Enter")
    expect(stage).to_be_hidden()
    expect(thumb).to_be_focused()
    thumb.click()
    expect(stage.get_by_role("heading")).to_have_text("Bob Builder's screen share")

    # The share ends: the spotlight goes with it, and the tile keeps the camera alone.
    alice.sfu.unpublish(bob.username, "screen_share")
    expect(stage).to_be_hidden()
    expect(thumb).to_be_hidden()
    expect_playing(bobs.locator(".tile-video"))

    # Camera off: the avatar is back.
    page.locator("#media-camera-button").click()
    expect(mine).to_be_hidden()
    expect(alice.tile(alice.display_name).locator(".tile-avatar")).to_be_visible()


def test_speaking_local_mutes_encryption_and_whispers_on_tiles_and_room_list(
    crowd: Crowd,
) -> None:
    alice = crowd.member("alice", sfu=True)
    # Their pages join a call too (a fake one each), as they would with a media server running.
    bob = crowd.member("bob", "Bob Builder", sfu=True)
    carol = crowd.member("carol", "Carol Singer", sfu=True)
    in_call(alice)
    page = alice.page
    alice.sfu.add_remote(bob.username, bob.display_name)
    bobs = alice.tile(bob.display_name)
    row = member_row(alice, bob.display_name)

    # Bob joins with his mic off; when it is on and he speaks, his tile and his dot light up.
    expect(bobs.locator(".tile-flag-mic-off")).to_contain_text("Microphone off")
    alice.sfu.publish(bob.username, "microphone")
    expect(bobs.locator(".tile-flag-mic-off")).to_have_count(0)
    expect(bobs.locator(".tile-flag-encrypted")).to_contain_text("End-to-end encrypted")
    alice.sfu.speaking([bob.username])
    expect(bobs).to_have_class(_has("is-speaking"))
    expect(row).to_have_class(_has("is-speaking"))

    # Muted for me: no ring, no dot, and the room list's button shows it too.
    bobs.get_by_role("button", name="Mute Bob Builder for me").click()
    expect(bobs).not_to_have_class(_has("is-speaking"))
    expect(row).not_to_have_class(_has("is-speaking"))
    row_button = row.get_by_role("button", name="Mute Bob Builder for me")
    expect(row_button).to_have_attribute("aria-pressed", "true")
    expect(member_row(alice, alice.display_name).get_by_role("button")).to_have_count(0)

    # Remembered across a reload, and undone from the room list before Bob is even in the call.
    page.reload()
    in_call(alice)
    expect(row_button).to_have_attribute("aria-pressed", "true")
    row_button.click()
    expect(row_button).to_have_attribute("aria-pressed", "false")
    alice.sfu.add_remote(bob.username, bob.display_name)
    alice.sfu.publish(bob.username, "microphone")
    alice.sfu.speaking([bob.username])
    expect(row).to_have_class(_has("is-speaking"))
    expect(bobs.get_by_role("button", name="Mute Bob Builder for me")).to_have_attribute(
        "aria-pressed", "false"
    )

    # Bob's media stops being end-to-end encrypted: his tile says so.
    alice.sfu.unencrypted(bob.username)
    warning = bobs.locator(".tile-flag-unencrypted")
    expect(warning).to_contain_text("Not end-to-end encrypted")
    expect(bobs.locator(".tile-flag-encrypted")).to_have_count(0)

    # Whispers: only my source is heard, so only my source glows; the other tile is dimmed.
    alice.sfu.add_remote(carol.username, carol.display_name)
    alice.sfu.publish(carol.username, "microphone")
    page.locator("#whispers-toggle").click()
    page.get_by_role("dialog", name="Turn whispers on?").get_by_role(
        "button", name="Turn on"
    ).click()
    source = page.locator("#tile-grid .tile.is-source")
    expect(source).to_have_count(1)
    other = page.locator("#tile-grid .tile:not(.is-me):not(.is-source)")
    expect(other).to_have_class(_has("is-dimmed"))
    alice.sfu.speaking([bob.username, carol.username])
    expect(source).to_have_class(_has("is-speaking"))
    expect(source).not_to_have_class(_has("is-dimmed"))
    expect(other).not_to_have_class(_has("is-speaking"))


def _has(name: str) -> re.Pattern[str]:
    """Matches a class attribute that contains the class `name`."""
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")
