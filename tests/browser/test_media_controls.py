"""The floating control bar on the real room page, against the in-page fake LiveKit: it
appears with the call, its buttons tell the truth about the mic, camera, deafen and screen
share, push-to-talk holds the mic open only while the key is down, and the volumes popover
boosts a real second member to 200 % and remembers it across a reload."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from harness.people import Crowd, Person

from .axe import serious_violations

pytestmark = pytest.mark.browser


# The local publication of a source, as the page's Room holds it.
LOCAL_PUBLICATION = """(source) => {
  const pub = window.__sfu.room().localParticipant.getTrackPublication(source);
  return pub ? { muted: pub.isMuted } : null;
}"""


# The person said no to the browser's microphone prompt; the camera still works.
DENY_MICROPHONE = """(() => {
  const devices = navigator.mediaDevices;
  const ask = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints) => constraints?.audio
    ? Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))
    : ask(constraints);
})();"""


def connected(person: Person) -> Page:
    page = person.page
    page.wait_for_function("() => window.__sfu?.room()?.state === 'connected'")
    expect(page.locator("#control-bar")).to_be_visible()
    return page


def local(page: Page, source: str) -> Any:
    return page.evaluate(LOCAL_PUBLICATION, source)


def calls_named(person: Person, name: str) -> list[list[Any]]:
    return [call for call in person.sfu.calls() if call[0] == name]


def bar_button(page: Page, name: str) -> Any:
    return page.locator("#control-bar").get_by_role("button", name=name, exact=True)


def test_mic_camera_and_deafen_act_on_the_call_and_show_it(crowd: Crowd) -> None:
    alice = crowd.member("alice", sfu=True)
    page = connected(alice)
    mic = bar_button(page, "Mute")
    deafen = bar_button(page, "Deafen")
    camera = bar_button(page, "Camera")
    expect(page.locator("#media-settings-button")).to_be_visible()

    # Everyone joins muted.
    expect(mic).to_have_attribute("aria-pressed", "true")
    expect(mic).to_have_attribute("data-tooltip", "Unmute (M)")
    mic.click()
    expect(mic).to_have_attribute("aria-pressed", "false")
    expect(mic).to_have_attribute("data-tooltip", "Mute (M)")
    assert ["setMicrophoneEnabled", True] in [call[:2] for call in alice.sfu.calls()]
    page.wait_for_function(f"() => ({LOCAL_PUBLICATION})('microphone')?.muted === false")

    # Deafen takes the mic down with it, and undeafen brings it back.
    deafen.click()
    expect(deafen).to_have_attribute("aria-pressed", "true")
    expect(deafen).to_have_class("control-button is-danger")
    expect(mic).to_have_attribute("aria-pressed", "true")
    expect(mic).to_have_attribute("data-tooltip", "Unmute and undeafen (M)")
    page.wait_for_function(f"() => ({LOCAL_PUBLICATION})('microphone')?.muted === true")
    deafen.click()
    expect(deafen).to_have_attribute("aria-pressed", "false")
    expect(mic).to_have_attribute("aria-pressed", "false")

    expect(camera).to_have_attribute("aria-pressed", "false")
    camera.click()
    expect(camera).to_have_attribute("aria-pressed", "true")
    expect(camera).to_have_attribute("data-tooltip", "Turn off camera")
    assert local(page, "camera") == {"muted": False}
    camera.click()
    expect(camera).to_have_attribute("aria-pressed", "false")
    assert local(page, "camera") is None


def test_a_blocked_microphone_is_explained_on_the_mic_button(crowd: Crowd) -> None:
    alice = crowd.member("alice", sfu=True)
    alice.context.add_init_script(DENY_MICROPHONE)
    alice.page.reload()
    page = connected(alice)
    mic = bar_button(page, "Mute")
    expect(mic).to_have_class("control-button is-danger has-problem")
    expect(mic).to_have_attribute("aria-pressed", "true")
    expect(mic).to_have_accessible_description(re.compile("^Microphone access is blocked"))
    expect(mic).to_have_attribute(
        "data-tooltip", re.compile(r"^Unmute \(M\)\nMicrophone access is blocked")
    )

    # Trying again asks again, and the button keeps telling the truth.
    mic.click()
    expect(mic).not_to_have_attribute("aria-disabled", "true")
    expect(mic).to_have_attribute("aria-pressed", "true")
    expect(mic).to_have_accessible_description(re.compile("^Microphone access is blocked"))
    assert ["setMicrophoneEnabled", True] in [call[:2] for call in alice.sfu.calls()]


def test_push_to_talk_opens_the_mic_only_while_the_key_is_held(crowd: Crowd) -> None:
    alice = crowd.member("alice", sfu=True)
    page = connected(alice)
    mic = bar_button(page, "Mute")
    switch = bar_button(page, "Push to talk")
    expect(switch).to_contain_text("V")
    expect(switch).to_have_attribute("aria-pressed", "false")

    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    expect(mic).to_have_attribute("aria-pressed", "false")
    expect(mic).to_have_attribute("data-tooltip", "Hold V to talk\nClick to mute (M)")
    expect(mic).to_have_accessible_description("Hold V to talk")
    assert local(page, "microphone") == {"muted": True}

    page.keyboard.down("v")
    expect(mic).to_have_class("control-button is-live")
    page.wait_for_function(f"() => ({LOCAL_PUBLICATION})('microphone')?.muted === false")
    page.keyboard.up("v")
    expect(mic).not_to_have_class("control-button is-live")
    page.wait_for_function(f"() => ({LOCAL_PUBLICATION})('microphone')?.muted === true")

    # Back to an open mic: muted until unmuted, as on joining.
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "false")
    expect(mic).to_have_attribute("aria-pressed", "true")


def test_screen_share_starts_from_a_preset_and_stops_only_when_confirmed(crowd: Crowd) -> None:
    # axe is injected as an inline script, which our CSP rightly refuses: this context skips CSP.
    alice = crowd.member("alice", sfu=True, bypass_csp=True)
    page = connected(alice)
    share = bar_button(page, "Share screen")
    expect(share).to_have_attribute("data-tooltip", "Share your screen")

    share.click()
    menu = page.get_by_role("menu", name="Share quality")
    expect(menu).to_be_visible()
    presets = menu.get_by_role("menuitemradio")
    expect(presets).to_have_text(
        ["Low (720p 30fps)", "Medium (1080p 30fps)", "High (1080p 60fps)", "Ultra (Native 120fps)"]
    )
    medium = menu.get_by_role("menuitemradio", name="Medium (1080p 30fps)")
    expect(medium).to_have_attribute("aria-checked", "true")
    expect(medium).to_be_focused()
    assert serious_violations(page, "#control-bar") == []
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("menuitemradio", name="High (1080p 60fps)")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(share).to_be_focused()

    share.click()
    audio = menu.get_by_role("menuitemcheckbox", name="Share audio")
    expect(audio).to_have_attribute("aria-checked", "true")
    audio.click()
    expect(audio).to_have_attribute("aria-checked", "false")
    menu.get_by_role("menuitemradio", name="Ultra (Native 120fps)").click()

    expect(share).to_have_attribute("aria-pressed", "true")
    expect(share).to_have_attribute("data-tooltip", "Stop sharing (Ultra (Native 120fps))")
    [start] = calls_named(alice, "setScreenShareEnabled")
    _, enabled, capture, publish = start
    assert enabled is True
    assert capture["resolution"] == {"width": 0, "height": 0, "frameRate": 120}
    assert capture["audio"] is False
    assert publish["screenShareEncoding"] == {"maxBitrate": 20_000_000, "maxFramerate": 120}
    assert local(page, "screen_share") is not None

    # Stopping asks first; Cancel keeps the share going.
    share.click()
    confirm = page.get_by_role("alertdialog", name="Stop sharing?")
    expect(confirm).to_be_visible()
    expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
    assert serious_violations(page, "#control-bar") == []
    confirm.get_by_role("button", name="Cancel").click()
    expect(confirm).to_be_hidden()
    assert len(calls_named(alice, "setScreenShareEnabled")) == 1

    share.click()
    confirm.get_by_role("button", name="Stop").click()
    expect(share).to_have_attribute("aria-pressed", "false")
    assert calls_named(alice, "setScreenShareEnabled")[-1][:2] == ["setScreenShareEnabled", False]
    assert local(page, "screen_share") is None

    # The preset and the audio choice are remembered for the next share.
    share.click()
    expect(menu.get_by_role("menuitemradio", name="Ultra (Native 120fps)")).to_have_attribute(
        "aria-checked", "true"
    )
    expect(audio).to_have_attribute("aria-checked", "false")


def test_volumes_boost_another_member_and_remember_it(crowd: Crowd) -> None:
    alice = crowd.member("alice", sfu=True)
    bob = crowd.member("bob")
    room = crowd.unique("Mix")
    alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    bob.join(room)
    alice.join(room)
    page = connected(alice)
    volumes = bar_button(page, "Volumes")

    volumes.click()
    panel = page.get_by_role("dialog", name="Volume")
    expect(panel).to_contain_text("No other participants")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(volumes).to_be_focused()

    alice.sfu.add_remote(bob.username, bob.display_name)
    volumes.click()
    slider = panel.get_by_role("slider", name=f"Volume for {bob.display_name}")
    expect(slider).to_be_focused()
    expect(slider).to_have_value("100")
    page.keyboard.press("End")
    expect(slider).to_have_value("200")
    expect(panel.locator(".volume-row")).to_contain_text("200%")

    mute = panel.get_by_role("button", name=f"Mute {bob.display_name} for me")
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    expect(mute).to_have_attribute("data-tooltip", "Unmute (local)")
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "false")

    page.reload()
    page = connected(alice)
    alice.sfu.add_remote(bob.username, bob.display_name)
    bar_button(page, "Volumes").click()
    expect(slider).to_have_value("200")
    expect(panel.locator(".volume-row")).to_contain_text("200%")
