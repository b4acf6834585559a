"""The "Audio & Video Settings" panel on the real room page, against the in-page fake LiveKit
with Chromium's fake devices: the devices in use are shown and the meter reads the live mic,
every choice is applied and survives a reload (and the next join uses it), hotkeys are rebound
from key caps, and the notification sounds are chosen and previewed through Web Audio."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from harness.people import Crowd, Person

from .axe import serious_violations

pytestmark = pytest.mark.browser

CONNECTED = "() => window.__sfu?.room()?.state === 'connected'"
MIC_SWITCHES = "window.__sfu.calls().filter((c) => c[0] === 'setMicrophoneEnabled').length"
MIC_RESTARTS = (
    "window.__sfu.room().localParticipant.getTrackPublication('microphone').track.restarts.length"
)
SWITCHED_TO = (
    "(id) => window.__sfu.calls().some((c) => c[0] === 'switchActiveDevice' && c[2] === id)"
)

# Records the state of the AudioContext each oscillator starts in: a preview that "plays" into
# a suspended context is silent.
SOUND_SPY = """
window.__tones = [];
const original = AudioContext.prototype.createOscillator;
AudioContext.prototype.createOscillator = function createOscillator() {
  window.__tones.push(this.state);
  return original.call(this);
};
"""


def in_call(person: Person) -> None:
    person.page.wait_for_function(CONNECTED)


def open_settings(page: Page) -> Locator:
    panel = page.locator("#media-settings")
    page.locator("#media-settings-button").click()
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", name="Audio & Video Settings")).to_be_visible()
    return panel


def options(select: Locator) -> list[str]:
    labels: list[str] = select.evaluate("(s) => [...s.options].map((o) => o.textContent)")
    return labels


def selected(select: Locator) -> str:
    label: str = select.evaluate("(s) => s.selectedOptions[0]?.textContent ?? ''")
    return label


def key_cap(panel: Locator, action: str) -> Locator:
    # A cap's name starts with its action and goes on with the key or "press a key".
    return panel.get_by_role("button", name=re.compile(f"^{action} key:"))


def switch(panel: Locator, name: str) -> Locator:
    return panel.get_by_role("button", name=name)


def room_options(page: Page) -> Any:
    return page.evaluate("() => window.__sfu.room().options")


def test_devices_in_use_are_shown_and_choices_survive_a_reload_into_the_next_join(
    crowd: Crowd,
) -> None:
    alice = crowd.member("alice", sfu=True)
    page = alice.page
    in_call(alice)
    # Everyone joins muted, and the meter reads the published track: unmute first.
    page.locator("#media-mic-button").click()
    page.wait_for_function(f"() => {MIC_SWITCHES} === 1")

    panel = open_settings(page)
    gear = page.locator("#media-settings-button").bounding_box()
    box = panel.bounding_box()
    assert gear and box
    assert round(box["width"]) == 340
    assert box["y"] + box["height"] <= gear["y"], "above the gear"
    mic = panel.locator("#settings-mic")
    expect(mic).to_be_focused()
    assert {"Fake Audio Input 1", "Fake Audio Input 2"} <= set(options(mic))
    assert "Fake Audio Output 1" in options(panel.locator("#settings-speaker"))
    assert options(panel.locator("#settings-camera"))
    # Nothing chosen yet: the call captures from the system default, listed first.
    assert selected(mic) == options(mic)[0]
    expect(panel.locator(".settings-status")).to_have_text("Mic is live")
    expect(panel.get_by_text("Receiving audio")).to_be_visible(timeout=10_000)

    mic.select_option(label="Fake Audio Input 2")
    chosen_mic = mic.input_value()
    page.wait_for_function(SWITCHED_TO, arg=chosen_mic)
    speaker = panel.locator("#settings-speaker")
    if len(options(speaker)) > 1:
        speaker.select_option(index=len(options(speaker)) - 1)
    chosen_speaker = speaker.input_value()
    # The meter is restarted on the new microphone and still hears it.
    expect(panel.get_by_text("Receiving audio")).to_be_visible(timeout=10_000)

    panel.get_by_label("Input gain").focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    expect(panel.locator("output[for=settings-gain]")).to_have_text("150 %")
    noise = switch(panel, "Noise suppression")
    expect(noise).to_have_attribute("aria-pressed", "true")
    noise.click()
    expect(noise).to_have_attribute("aria-pressed", "false")
    # The live mic is re-captured without it.
    page.wait_for_function(f"() => {MIC_RESTARTS} > 0")

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(page.locator("#media-settings-button")).to_be_focused()

    page.reload()
    in_call(alice)
    # The next join captures from the remembered microphone with the remembered processing.
    capture = room_options(page)["audioCaptureDefaults"]
    assert capture["deviceId"] == chosen_mic
    assert (capture["noiseSuppression"], capture["echoCancellation"]) == (False, True)
    panel = open_settings(page)
    expect(panel.locator("#settings-mic")).to_have_value(chosen_mic)
    assert selected(panel.locator("#settings-mic")) == "Fake Audio Input 2"
    expect(panel.locator("#settings-speaker")).to_have_value(chosen_speaker)
    expect(panel.get_by_label("Input gain")).to_have_value("150")
    expect(switch(panel, "Noise suppression")).to_have_attribute("aria-pressed", "false")
    expect(switch(panel, "Echo cancellation")).to_have_attribute("aria-pressed", "true")
    expect(panel.locator(".settings-status")).to_have_text("Muted — press Unmute")


def test_hotkeys_are_rebound_from_their_key_caps(crowd: Crowd) -> None:
    alice = crowd.member("alice", sfu=True)
    page = alice.page
    in_call(alice)
    panel = open_settings(page)
    mute, deafen = key_cap(panel, "Toggle Mute"), key_cap(panel, "Toggle Deafen")
    message = panel.locator(".settings-hotkey-message [aria-live]")
    expect(mute).to_have_text("M")

    # Escape gives up listening, keeps the key and leaves the panel open.
    mute.click()
    expect(mute).to_have_text("Press a key…")
    page.keyboard.press("Escape")
    expect(mute).to_have_text("M")
    expect(panel).to_be_visible()

    # A key another action has is refused, with an offer to swap.
    deafen.click()
    page.keyboard.press("m")
    expect(message).to_have_text("M is already Toggle Mute's key.")
    expect(deafen).to_have_text("D")
    panel.get_by_role("button", name="Swap keys").click()
    expect(deafen).to_have_text("M")
    expect(mute).to_have_text("D")

    mute.click()
    page.keyboard.press("k")
    expect(mute).to_have_text("K")
    expect(message).to_have_text("Toggle Mute is now K.")
    # The keys pressed for the caps were theirs alone: the mic never toggled.
    assert page.evaluate(f"() => {MIC_SWITCHES}") == 0

    panel.get_by_role("button", name="Clear the Push to Talk key").click()
    expect(key_cap(panel, "Push to Talk")).to_have_text("Not set")

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    page.keyboard.press("k")
    page.wait_for_function(f"() => {MIC_SWITCHES} === 1")

    # Typing a room name is not a shortcut.
    page.get_by_role("button", name="Create a room").click()
    field = page.locator("#room-name-input")
    field.press_sequentially("kkm")
    expect(field).to_have_value("kkm")
    assert page.evaluate(f"() => {MIC_SWITCHES}") == 1
    page.keyboard.press("Escape")

    page.reload()
    in_call(alice)
    panel = open_settings(page)
    expect(key_cap(panel, "Toggle Mute")).to_have_text("K")
    expect(key_cap(panel, "Toggle Deafen")).to_have_text("M")
    expect(key_cap(panel, "Push to Talk")).to_have_text("Not set")


def test_sounds_are_chosen_previewed_and_remembered_in_a_bottom_sheet_on_a_phone(
    crowd: Crowd,
) -> None:
    # axe is injected as an inline script, which our CSP rightly refuses: this context skips CSP.
    alice = crowd.member("alice", sfu=True, viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = alice.page
    page.context.add_init_script(SOUND_SPY)
    page.reload()
    in_call(alice)
    panel = open_settings(page)
    # Full width, docked at the bottom, at most 70 % of the height, scrolling.
    box = panel.bounding_box()
    assert box
    assert (round(box["x"]), round(box["width"])) == (0, 390)
    assert round(box["y"] + box["height"]) == 844
    assert box["height"] <= 0.7 * 844 + 1
    assert panel.evaluate("(n) => n.scrollHeight > n.clientHeight")

    pack = panel.get_by_label("Sound pack")
    expect(pack).to_have_value("mystical")
    pack.select_option(label="Retro Arcade")
    panel.get_by_label("Volume", exact=True).focus()
    for _ in range(12):
        page.keyboard.press("ArrowLeft")
    expect(panel.locator("output[for=settings-sound-volume]")).to_have_text("40 %")

    before = page.evaluate("() => window.__tones.length")
    panel.get_by_role("button", name="Preview the Join sound").click()
    page.wait_for_function("(n) => window.__tones.length > n", arg=before)
    assert page.evaluate("() => window.__tones.at(-1)") == "running"

    test = panel.locator("#settings-speaker-test")
    test.click()
    expect(test).to_have_text("Playing…")
    expect(test).to_have_attribute("aria-disabled", "true")
    expect(test).to_have_text("Test speaker")
    expect(test).not_to_have_attribute("aria-disabled", "true")

    assert serious_violations(page, "#media-settings") == []

    page.reload()
    in_call(alice)
    panel = open_settings(page)
    expect(panel.get_by_label("Sound pack")).to_have_value("retro")
    expect(panel.get_by_label("Volume", exact=True)).to_have_value("40")
    panel.get_by_label("Sound pack").select_option(label="None")
    expect(panel.get_by_role("group", name="Preview sounds")).to_be_hidden()
