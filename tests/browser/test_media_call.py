"""The call as a whole on the real room page, against the in-page fake LiveKit: joining
connects with the join response, an unreachable media server is explained and retried while
presence stays live, the encryption lock and warnings, the "enable audio" click, and the
connection-quality tooltip."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.people import Crowd, Person

pytestmark = pytest.mark.browser

CONNECTED = "() => window.__sfu?.room()?.state === 'connected'"


def in_call(person: Person) -> None:
    person.page.wait_for_function(CONNECTED)


def test_joining_a_room_connects_the_call_with_the_join_token(crowd: Crowd) -> None:
    alice = crowd.member("alice", sfu=True)
    in_call(alice)
    calls = alice.sfu.calls()
    connect = next(call for call in calls if call[0] == "connect")
    # The relative wsUrl of the join response, resolved against the page, and its token.
    assert connect[1].startswith("ws://127.0.0.1")
    assert connect[2].count(".") == 2
    # Everyone joins muted: the microphone is published, but not live.
    assert ["setMicrophoneEnabled", True] not in calls
    expect(alice.page.locator("#e2ee-lock")).to_have_attribute("aria-label", "End-to-end encrypted")
    expect(alice.page.locator("#media-unreachable")).to_be_hidden()


def test_an_unreachable_media_server_offers_retry_while_rooms_and_people_stay_live(
    crowd: Crowd,
) -> None:
    alice = crowd.member("alice", sfu=True)
    bob = crowd.member("bob")
    alice.page.add_init_script("window.__sfuDownFor = 1")
    alice.page.reload()

    banner = alice.page.locator("#media-unreachable")
    expect(banner).to_contain_text("Media server unreachable")
    expect(banner).to_contain_text("rooms and people still update")
    # Presence does not depend on the media server.
    room = crowd.unique("Lounge")
    bob.api("POST", "/api/rooms", {"name": room})
    expect(alice.room_button(room)).to_be_visible()

    banner.get_by_role("button", name="Retry").click()
    in_call(alice)
    expect(banner).to_be_hidden()
    expect(alice.page.locator("#e2ee-lock")).to_be_visible()


def test_encryption_is_shown_and_a_participant_without_it_is_named(crowd: Crowd) -> None:
    alice = crowd.member("alice", sfu=True)
    bob = crowd.member("bob", "Bob Builder")
    in_call(alice)
    alice.sfu.add_remote(bob.username, "Bob Builder")
    alice.sfu.publish(bob.username, "microphone")
    lock = alice.page.locator("#e2ee-lock")
    expect(lock).to_have_attribute("aria-label", "End-to-end encrypted")

    alice.sfu.unencrypted(bob.username)
    expect(lock).to_have_attribute("aria-label", "Not end-to-end encrypted: Bob Builder")
    expect(alice.page.locator("#e2ee-warning")).to_contain_text("Bob Builder")

    # With the sound held back too, its banner sits above the notice; lifting it on the same
    # click must not move the Dismiss button out from under the pointer.
    alice.sfu.block_autoplay()
    alice.sfu.encryption_error(bob.username)
    notice = alice.page.locator("#media-notice")
    expect(notice).to_contain_text("Cannot decrypt Bob Builder's media")
    notice.get_by_role("button", name="Dismiss message").click()
    expect(notice).to_be_hidden()
    expect(alice.page.locator("#audio-blocked")).to_be_hidden()


def test_audio_held_back_by_the_browser_is_enabled_with_one_click(crowd: Crowd) -> None:
    alice = crowd.member("alice", sfu=True)
    in_call(alice)
    alice.sfu.block_autoplay()
    banner = alice.page.locator("#audio-blocked")
    expect(banner).to_be_visible()
    banner.get_by_role("button", name="Enable audio").click()
    expect(banner).to_be_hidden()
    assert ["startAudio"] in alice.sfu.calls()
    # Held back again (say, in the next room): a click anywhere is gesture enough.
    alice.sfu.block_autoplay()
    expect(banner).to_be_visible()
    alice.page.locator("#room-name").click()
    expect(banner).to_be_hidden()


def test_connection_quality_shows_the_measured_tier_and_the_server_city(crowd: Crowd) -> None:
    alice = crowd.member("alice", sfu=True)
    in_call(alice)
    alice.sfu.stats(
        [
            {
                "id": "CP1",
                "type": "candidate-pair",
                "state": "succeeded",
                "nominated": True,
                "currentRoundTripTime": 0.03,
            }
        ]
    )
    widget = alice.page.locator("#connection-quality")
    expect(widget).to_have_attribute("aria-label", "Connection quality: Good", timeout=10_000)
    widget.focus()
    tooltip = alice.page.locator("#quality-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("RTT: 30.0ms")
    expect(tooltip).to_contain_text("Distance: ~1,500 km")
    expect(tooltip).to_contain_text("Server: Johannesburg")
    expect(widget.locator(".quality-bar.is-on")).to_have_count(3)


def test_deafen_is_shared_with_the_call_and_others_deafen_is_shown(crowd: Crowd) -> None:
    alice = crowd.member("alice", sfu=True)
    bob = crowd.member("bob", "Bob Builder")
    in_call(alice)
    alice.sfu.add_remote(bob.username, "Bob Builder")

    alice.page.locator("#media-deafen-button").click()
    alice.page.wait_for_function("() => window.__sfu.sentPeerStates().at(-1)?.deafened === true")
    alice.sfu.peer_state(bob.username, deafened=True)
    flag = alice.tile("Bob Builder").locator(".tile-flag-deafened")
    expect(flag).to_be_visible()
    alice.sfu.peer_state(bob.username, deafened=False)
    expect(flag).to_have_count(0)


def test_the_meter_hears_the_microphone_before_unmuting(crowd: Crowd) -> None:
    alice = crowd.member("alice", sfu=True)
    in_call(alice)
    mic = alice.page.locator("#media-mic-button")
    alice.page.locator("#media-settings-button").click()
    panel = alice.page.locator("#media-settings")
    expect(panel.get_by_text("Receiving audio")).to_be_visible(timeout=10_000)
    # Still muted for the call: checking the mic sends nothing to anyone.
    assert alice.page.evaluate(
        "() => window.__sfu.room().localParticipant.getTrackPublication('microphone').isMuted"
    )
    expect(mic).to_have_attribute("aria-pressed", "true")


def test_a_dropped_call_rejoins_by_itself_and_a_room_switch_starts_a_fresh_call(
    crowd: Crowd,
) -> None:
    alice = crowd.member("alice", sfu=True)
    in_call(alice)
    alice.page.locator("#media-camera-button").click()
    alice.page.wait_for_function(
        "() => !!window.__sfu.room().localParticipant.getTrackPublication('camera')"
    )

    alice.sfu.drop()
    alice.page.wait_for_function("() => window.__sfu.roomCount() === 2", timeout=15_000)
    in_call(alice)
    expect(alice.page.locator("#control-bar")).to_be_visible()
    # Rejoined by asking the server again: still in General, still muted, camera off.
    alice.expect_in_room("General")
    expect(alice.page.locator("#media-mic-button")).to_have_attribute("aria-pressed", "true")
    expect(alice.page.locator("#media-camera-button")).to_have_attribute("aria-pressed", "false")

    # A microphone chosen in this call is the one the next room's call captures.
    alice.page.locator("#media-settings-button").click()
    alice.page.locator("#settings-mic").select_option(label="Fake Audio Input 2")
    chosen = alice.page.locator("#settings-mic").input_value()
    alice.page.keyboard.press("Escape")
    room = crowd.unique("Attic")
    alice.api("POST", "/api/rooms", {"name": room})
    alice.join(room)
    alice.page.wait_for_function("() => window.__sfu.roomCount() === 3")
    in_call(alice)
    capture = alice.page.evaluate("() => window.__sfu.room().options.audioCaptureDefaults")
    assert capture["deviceId"] == chosen
    expect(alice.page.locator("#e2ee-lock")).to_be_visible()

    # Removed by the server: no rejoin, and the page says why.
    alice.sfu.remove()
    expect(alice.page.locator("#room-status")).to_contain_text("You were removed from the call")
    alice.page.wait_for_timeout(3000)
    assert alice.sfu.room_count() == 3


def test_coming_back_to_the_page_puts_you_back_in_the_call(crowd: Crowd) -> None:
    alice = crowd.member("alice", sfu=True)
    in_call(alice)
    alice.page.evaluate("() => { window.__before = true; }")
    alice.page.goto("/api/server-info")
    alice.page.go_back()
    alice.expect_in_room("General")
    # Restored from the back-forward cache (same window) or loaded anew: in the call either way.
    restored = alice.page.evaluate("() => window.__before === true")
    alice.page.wait_for_function(
        "(n) => window.__sfu?.roomCount() === n && window.__sfu.room().state === 'connected'",
        arg=2 if restored else 1,
    )
    expect(alice.page.locator("#control-bar")).to_be_visible()
