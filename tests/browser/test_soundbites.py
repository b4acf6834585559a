"""Soundbites through the real LiveKit server: a page keeps the last 10 s of each remote
microphone and saves it as a WAV, from the tile's button or Ctrl+Shift+S; someone who opts out
is no longer recorded by any page within 2 s, and every page says so.

Alice's fake microphone is a 440 Hz tone made with sox (Chromium plays the file as the mic), so
the saved WAV can be checked for her voice, not merely for sound.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect

from harness.call import livekit_participants, unmute
from harness.chromium import CHROMIUM, CHROMIUM_ARGS
from harness.livekit import CallStack
from harness.people import Crowd, Person, gathered

from .audio_files import power_at, read_wav, rms, skip_without_audio_worklets, tone_wav
from .test_real_call import on_call

pytestmark = pytest.mark.browser

TONE_HZ = 440.0
# How much a WAV may differ from the time its ring has been filling (the click's own delay).
SLACK_SECONDS = 1.5

# What a page's recorder holds, from the worklet itself (the ring lives on the audio thread).
RING_STATS = """async () => {
  const url = JSON.parse(document.getElementById('app-config').textContent).audioWorklets.soundbite;
  const context = new AudioContext({ sampleRate: 48000 });
  await context.audioWorklet.addModule(url);
  const node = new AudioWorkletNode(context, 'soundbite-recorder', {
    numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit',
    processorOptions: { seconds: 10 },
  });
  const source = context.createOscillator();
  source.connect(node);
  source.start();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const stats = await new Promise((resolve) => {
    node.port.onmessage = (event) => resolve(event.data);
    node.port.postMessage({ type: 'stats', id: 1 });
  });
  await context.close();
  return stats;
}"""


@pytest.fixture
def tone_browser(playwright_driver: Playwright, tmp_path: Path) -> Iterator[Browser]:
    """Chromium whose fake microphone plays a 440 Hz tone."""
    mic = tone_wav(tmp_path / "tone.wav", hz=TONE_HZ)
    browser = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={mic}"],
    )
    yield browser
    browser.close()


@pytest.fixture
def tone_crowd(
    tone_browser: Browser, call_server: CallStack, request: pytest.FixtureRequest
) -> Iterator[Crowd]:
    with gathered(tone_browser, call_server.app.url, request.node.name) as crowd:
        yield crowd


def soundbite_button(page: Page, of: Person):
    return page.locator(
        "#tile-grid .tile", has=page.locator(".tile-name", has_text=of.display_name)
    ).locator(".tile-soundbite")


def save(page: Page, action, tmp_path: Path, name: str) -> Path:
    """Does `action` and returns the WAV the page downloads."""
    with page.expect_download(timeout=10_000) as info:
        action()
    download = info.value
    target = tmp_path / name
    download.save_as(target)
    assert download.suggested_filename.endswith(".wav")
    return target


def test_a_soundbite_is_the_last_10_seconds_of_her_voice(tone_crowd: Crowd, tmp_path: Path) -> None:
    (alice, bob), _ = on_call(tone_crowd, "alice", "bob")
    skip_without_audio_worklets(bob.page)
    unmute(alice)
    button = soundbite_button(bob.page, alice)
    expect(button).to_have_attribute("data-soundbite", "recording", timeout=20_000)
    started = time.monotonic()
    expect(button).to_be_enabled()
    expect(button).to_have_attribute(
        "aria-label", f"Save soundbite of {alice.display_name} (last 10 s)"
    )

    # Early on, the WAV is as long as the ring has been filling.
    bob.page.wait_for_timeout(4000)
    early = read_wav(save(bob.page, button.click, tmp_path, "early.wav"))
    elapsed = time.monotonic() - started
    assert (early.channels, early.bits) == (1, 16)
    assert elapsed - SLACK_SECONDS - 1 <= early.seconds <= elapsed + SLACK_SECONDS, (
        f"{early.seconds:.2f} s saved after {elapsed:.2f} s of recording"
    )

    # Past 10 s, exactly the last 10 s; saved with the hotkey, which names every recording.
    bob.page.wait_for_timeout(int(max(0, 11 - (time.monotonic() - started)) * 1000))
    bob.page.locator("body").click(position={"x": 5, "y": 5})
    full = read_wav(
        save(bob.page, lambda: bob.page.keyboard.press("Control+Shift+KeyS"), tmp_path, "full.wav")
    )
    assert abs(full.seconds - 10.0) < 0.01, f"the full soundbite lasts {full.seconds:.3f} s"

    # Alice's tone, not just sound: the last 2 s are loud, and 440 Hz dominates its neighbours.
    tail = full.samples[-2 * full.rate :]
    assert rms(tail) > 0.05, f"the soundbite is silent (rms {rms(tail):.4f})"
    tone = power_at(tail, full.rate, TONE_HZ)
    for other in (220.0, 660.0, 1000.0):
        assert tone > 100 * power_at(tail, full.rate, other), f"440 Hz is not above {other} Hz"

    # What one recorded person costs the page: the worklet's ring.
    stats = bob.page.evaluate(RING_STATS)
    print(f"\nsoundbite ring per participant: {stats['bytes']} bytes at {stats['sampleRate']} Hz")
    assert stats["bytes"] == 10 * stats["sampleRate"] * 4


def test_not_while_typing(tone_crowd: Crowd) -> None:
    (alice, bob), _ = on_call(tone_crowd, "alice", "bob")
    skip_without_audio_worklets(bob.page)
    expect(soundbite_button(bob.page, alice)).to_have_attribute(
        "data-soundbite", "recording", timeout=20_000
    )
    box = bob.page.locator("#chat-input")
    box.click()
    with pytest.raises(Exception, match="Timeout"), bob.page.expect_download(timeout=1500):
        bob.page.keyboard.press("Control+Shift+KeyS")


def test_an_opt_out_stops_every_page_recording_within_2_seconds(
    tone_crowd: Crowd, call_server: CallStack
) -> None:
    (alice, bob), room = on_call(tone_crowd, "alice", "bob")
    button = soundbite_button(bob.page, alice)
    note = bob.tile(alice.display_name).locator(".tile-soundbite-note")
    # Recording, or about to (where worklets load); either way offered, not opted out.
    expect(button).to_have_attribute("data-soundbite", re.compile("recording|idle"), timeout=20_000)
    expect(button).to_be_visible()
    expect(note).to_be_hidden()

    alice.page.locator("#media-settings-button").click()
    toggle = alice.page.locator("#settings-soundbite-opt-out")
    toggle.click()
    clicked = time.monotonic()
    expect(toggle).to_have_attribute("aria-pressed", "true")

    expect(button).to_have_attribute("data-soundbite", "opted-out", timeout=2000)
    took = time.monotonic() - clicked
    expect(button).to_be_hidden()
    expect(note).to_be_visible()
    expect(note).to_have_text("No soundbites")
    expect(note).to_have_attribute(
        "title", f"{alice.display_name} opted out of soundbites: nothing of theirs is recorded"
    )
    print(f"\nopt-out honoured on the other page after {took:.2f} s")
    # No recording is left to save: the hotkey downloads nothing.
    bob.page.locator("body").click(position={"x": 5, "y": 5})
    with pytest.raises(Exception, match="Timeout"), bob.page.expect_download(timeout=1500):
        bob.page.keyboard.press("Control+Shift+KeyS")
    # 2.x pages read it from LiveKit: the SFU itself holds the new metadata.
    [seen] = [
        p
        for p in livekit_participants(call_server.sfu.url, call_server.app.env, room)
        if p.identity == alice.username
    ]
    assert seen.metadata == '{"soundbiteOptOut":true}'

    # A page that loads now knows at once (the hello snapshot), before any event.
    bob.page.reload()
    expect(bob.tile(alice.display_name).locator(".tile-soundbite-note")).to_be_visible(
        timeout=30_000
    )

    # Opting back in: pages may record again.
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    again = soundbite_button(bob.page, alice)
    expect(again).to_have_attribute("data-soundbite", re.compile("recording|idle"), timeout=2000)
    expect(again).to_be_visible()
