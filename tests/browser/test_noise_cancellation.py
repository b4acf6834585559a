"""Noise cancellation proven through the real LiveKit server: Alice's fake microphone is speech
(espeak-ng) over steady white noise (sox), and Bob's page, which receives what Alice's page
encoded and encrypted, measures the noise band. With RNNoise on, the band must drop by at least
NOISE_DROP_DB; the voice's own band must drop much less. Chromium's own noise suppression is
switched off for both measurements, so the difference is RNNoise's alone.

It also holds over a mute and unmute and a rejoin (the setting is remembered and put on every
new microphone track), and the section is hidden where AudioWorklet is missing.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect

from harness.call import call_connected, enable_audio, unmute, watch_call
from harness.chromium import CHROMIUM, CHROMIUM_ARGS
from harness.livekit import CallStack
from harness.people import Crowd, Person, gathered

from .audio_files import noisy_speech_wav, skip_without_audio_worklets

pytestmark = pytest.mark.browser

# The noise band: above most of espeak's voice, within what Opus carries for a microphone.
NOISE_BAND = (5000.0, 7500.0)
VOICE_BAND = (200.0, 1000.0)
# RNNoise must take at least this much off the noise band at the receiving page.
NOISE_DROP_DB = 10.0

# Power in a band of what the page plays, in dB, from the analyser the call watch puts in front
# of the speakers (fftSize 32768, so each bin is under 1.5 Hz at 48 kHz).
BAND_POWER = """([low, high]) => {
  let power = 0;
  for (const tap of window.__taps) {
    const db = new Float32Array(tap.frequencyBinCount);
    tap.getFloatFrequencyData(db);
    const hz = tap.context.sampleRate / tap.fftSize;
    for (let i = Math.ceil(low / hz); i <= Math.floor(high / hz) && i < db.length; i++) {
      power += 10 ** (db[i] / 10);
    }
  }
  return power;
}"""


@pytest.fixture
def noisy_browser(playwright_driver: Playwright, tmp_path: Path) -> Iterator[Browser]:
    """Chromium whose fake microphone is a voice in a noisy room."""
    mic = noisy_speech_wav(tmp_path / "noisy-speech.wav")
    browser = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={mic}"],
    )
    yield browser
    browser.close()


@pytest.fixture
def noisy_crowd(
    noisy_browser: Browser, call_server: CallStack, request: pytest.FixtureRequest
) -> Iterator[Crowd]:
    with gathered(noisy_browser, call_server.app.url, request.node.name) as crowd:
        yield crowd


def band_db(page: Page, band: tuple[float, float], *, over: float = 6.0) -> float:
    """Mean power in `band` of what the page played over `over` seconds, in dB."""
    readings = []
    for _ in range(int(over / 0.25)):
        readings.append(float(page.evaluate(BAND_POWER, list(band))))
        page.wait_for_timeout(250)
    mean = sum(readings) / len(readings)
    return 10 * math.log10(mean) if mean > 0 else -math.inf


def settings(person: Person) -> Page:
    page = person.page
    panel = page.locator("#media-settings")
    if not panel.is_visible():
        page.locator("#media-settings-button").click()
        expect(panel).to_be_visible()
    return page


def switch(page: Page, locator: str, on: bool) -> None:
    button = page.locator(locator)
    if (button.get_attribute("aria-pressed") == "true") != on:
        button.click()
    expect(button).to_have_attribute("aria-pressed", "true" if on else "false")


def on_call(crowd: Crowd) -> tuple[Person, Person, str]:
    alice, bob = crowd.member("alice"), crowd.member("bob")
    watch_call(bob)
    room = crowd.unique("Noisy")
    alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    for person in (alice, bob):
        person.join(room)
    for person in (alice, bob):
        call_connected(person)
        enable_audio(person)
    return alice, bob, room


def test_rnnoise_takes_the_noise_out_of_what_others_receive(noisy_crowd: Crowd) -> None:
    alice, bob, room = on_call(noisy_crowd)
    skip_without_audio_worklets(alice.page)
    page = settings(alice)
    switch(page, "#settings-noise-cancellation", False)
    page.get_by_role("button", name="Noise suppression").click()
    expect(page.get_by_role("button", name="Noise suppression")).to_have_attribute(
        "aria-pressed", "false"
    )
    unmute(alice)
    bob.page.wait_for_timeout(3000)
    noise_off, voice_off = band_db(bob.page, NOISE_BAND), band_db(bob.page, VOICE_BAND)

    switch(page, "#settings-noise-cancellation", True)
    expect(page.locator("#settings-noise-engine")).to_have_value("rnnoise")
    bob.page.wait_for_timeout(3000)
    noise_on, voice_on = band_db(bob.page, NOISE_BAND), band_db(bob.page, VOICE_BAND)
    print(
        f"\nnoise band {NOISE_BAND[0]:.0f}-{NOISE_BAND[1]:.0f} Hz at the receiver: "
        f"{noise_off:.1f} dB off, {noise_on:.1f} dB on (drop {noise_off - noise_on:.1f} dB); "
        f"voice band: {voice_off:.1f} dB off, {voice_on:.1f} dB on "
        f"(drop {voice_off - voice_on:.1f} dB)"
    )
    assert noise_off - noise_on >= NOISE_DROP_DB
    assert voice_off - voice_on < noise_off - noise_on - 5, "RNNoise took the voice out as well"

    # A mute and unmute keeps it.
    alice.page.locator("#media-mic-button").click()
    unmute(alice)
    bob.page.wait_for_timeout(2500)
    after_unmute = band_db(bob.page, NOISE_BAND, over=4.0)
    assert noise_off - after_unmute >= NOISE_DROP_DB, f"after unmute: {after_unmute:.1f} dB"

    # A rejoin (a new microphone track) keeps it: the setting is remembered and applied again.
    alice.page.reload()
    call_connected(alice)
    expect(alice.page.locator("#room-name")).to_have_text(room)
    enable_audio(alice)
    unmute(alice)
    bob.page.wait_for_timeout(4000)
    after_rejoin = band_db(bob.page, NOISE_BAND, over=4.0)
    assert noise_off - after_rejoin >= NOISE_DROP_DB, f"after rejoin: {after_rejoin:.1f} dB"

    # Off again: the noise is back.
    switch(settings(alice), "#settings-noise-cancellation", False)
    bob.page.wait_for_timeout(3000)
    assert band_db(bob.page, NOISE_BAND, over=4.0) > noise_on + NOISE_DROP_DB / 2


def test_hidden_where_audio_worklet_is_missing(noisy_crowd: Crowd) -> None:
    person = noisy_crowd.member("carol")
    person.context.add_init_script("delete window.AudioWorkletNode;")
    person.page.reload()
    room = noisy_crowd.unique("Quiet")
    person.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    person.join(room)
    call_connected(person)
    settings(person)
    expect(person.page.locator("#settings-noise-cancellation")).to_be_hidden()
    expect(person.page.get_by_role("heading", name="Audio Processing")).to_be_hidden()
