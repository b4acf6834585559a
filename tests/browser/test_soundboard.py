"""The soundboard in real Chromium, through the real LiveKit server: a clip uploaded through the
trimmer (15 s chosen, 4 s kept), a file that is not audio refused with its error, and a clip
played by one page heard by another on the `soundboard` track (with the player's microphone
muted), its `🔊` on the player's tile, and its volume set apart from the voice."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from harness.call import call_connected, enable_audio, flowing, inbound, peak, watch_call
from harness.livekit import CallStack
from harness.people import Crowd, Person

from .room_service import _run

pytestmark = pytest.mark.browser

# LiveKit's TrackSource.SCREEN_SHARE_AUDIO.
SCREEN_SHARE_AUDIO = 4
# A tone kept at -24 LUFS peaks near 0.09; played at 2.x's default volume (0.5), near 0.045.
AUDIBLE = 0.02
SILENT = 0.001


def tone(folder: Path, seconds: float) -> Path:
    """A WAV of a 440 Hz tone made by ffmpeg for this test."""
    path = folder / "tone.wav"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={seconds}",
            "-af",
            "volume=-6dB",
            "-ac",
            "1",
            "-ar",
            "48000",
            str(path),
        ],
        check=True,
    )
    return path


def on_call(crowd: Crowd, *stems: str) -> list[Person]:
    people = [crowd.member(stem) for stem in stems]
    for person in people:
        watch_call(person)
    name = crowd.unique("Board")
    people[0].api("POST", "/api/rooms", {"name": name, "type": "voice"})
    for person in people:
        person.join(name)
    for person in people:
        call_connected(person)
        enable_audio(person)
    return people


def open_panel(page: Page) -> None:
    page.locator("#soundboard-button").click()
    expect(page.locator("#soundboard-panel")).to_be_visible()


def upload_trimmed(
    page: Page, wav: Path, *, name: str, keep_of: tuple[float, float], nudge_start: float = 0.0
) -> None:
    """Chooses `wav`, and in the trimmer drags the end handle so `keep_of[0]` of its
    `keep_of[1]` seconds are kept, then confirms."""
    page.locator("#soundboard-add").click()
    page.locator("#soundboard-name").fill(name)
    page.locator("#soundboard-file").set_input_files(str(wav))
    page.locator("#soundboard-upload-button").click()
    dialog = page.locator("#soundboard-trim")
    expect(dialog).to_be_visible()
    readout = page.locator("#soundboard-trim-readout")
    # 2.x's first selection: the first 10 s of a longer clip.
    expect(readout).to_have_text("Start: 0.0s  End: 10.0s  Duration: 10.0s")
    box = page.locator("#soundboard-wave").bounding_box()
    assert box is not None
    keep, total = keep_of
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 10 / total, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * keep / total, y, steps=8)
    page.mouse.up()
    expect(readout).to_contain_text(f"Duration: {keep:.1f}s")
    if nudge_start:
        # The keyboard trims too: Shift+arrows move the start by 0.1 s.
        page.locator("#soundboard-wave").focus()
        for _ in range(round(nudge_start * 10)):
            page.keyboard.press("Shift+ArrowRight")
        expect(readout).to_contain_text(f"Start: {nudge_start:.1f}s")
        expect(readout).to_contain_text(f"Duration: {keep - nudge_start:.1f}s")
    page.locator("#soundboard-trim-confirm").click()
    expect(dialog).to_be_hidden()


def audio_tracks(call_server: CallStack, room: str, identity: str) -> list[tuple[str, int, bool]]:
    """(name, source, muted) of each audio track `identity` publishes, as the SFU lists them."""
    from livekit import api

    async def listed(client: api.LiveKitAPI) -> list[tuple[str, int, bool]]:
        reply = await client.room.list_participants(api.ListParticipantsRequest(room=room))
        return [
            (t.name, t.source, t.muted)
            for p in reply.participants
            if p.identity == identity
            for t in p.tracks
            if t.type == api.TrackType.AUDIO
        ]

    return _run(call_server.app.env, call_server.sfu.url, listed)


def test_a_trimmed_upload_is_kept_and_a_file_that_is_not_audio_is_refused(call_crowd, tmp_path):
    (alice, bob) = on_call(call_crowd, "alice", "bob")
    open_panel(alice.page)
    open_panel(bob.page)

    upload_trimmed(
        alice.page, tone(tmp_path, 15), name="Airhorn", keep_of=(4.0, 15.0), nudge_start=0.5
    )

    row = alice.page.locator(".soundboard-clip", has_text="Airhorn")
    # ffmpeg judges and encodes it first: slow on a busy machine.
    expect(row).to_contain_text(alice.display_name, timeout=30_000)
    expect(alice.page.locator("#soundboard-error")).to_be_hidden()
    # Everyone's list has it at once (soundboard:created).
    expect(bob.page.locator(".soundboard-clip", has_text="Airhorn")).to_be_visible()
    (clip,) = [c for c in alice.api("GET", "/api/soundboard")["clips"] if c["name"] == "Airhorn"]
    assert abs(clip["durationMs"] - 3500) <= 150, clip
    assert clip["mime_type"] == "audio/ogg"

    notes = tmp_path / "notes.txt"
    notes.write_text("not a sound at all\n" * 20)
    alice.page.locator("#soundboard-name").fill("Notes")
    alice.page.locator("#soundboard-file").set_input_files(str(notes))
    alice.page.locator("#soundboard-upload-button").click()
    expect(alice.page.locator("#soundboard-error")).to_have_text("Could not decode audio file")
    expect(alice.page.locator("#soundboard-trim")).to_be_hidden()
    expect(alice.page.locator(".soundboard-clip", has_text="Notes")).to_have_count(0)


def test_a_play_is_heard_by_the_other_page_on_the_soundboard_track(
    call_crowd, call_server, tmp_path
):
    (alice, bob) = on_call(call_crowd, "alice", "bob")
    room = alice.page.locator("#room-name").inner_text()
    open_panel(alice.page)
    upload_trimmed(alice.page, tone(tmp_path, 12), name="Long tone", keep_of=(9.0, 12.0))
    clip = alice.page.locator(".soundboard-clip", has_text="Long tone")
    expect(clip).to_be_visible(timeout=30_000)
    # Alice's microphone stays muted: whatever Bob hears is the clip. Bob first turns others'
    # clips down to nothing (and that is remembered).
    assert peak(bob.page, over=1.0) < SILENT
    before = {stream.track for stream in inbound(bob.page, "audio")}
    open_panel(bob.page)
    bob.page.locator("#soundboard-hearing").fill("0")

    clip.locator(".soundboard-play").click()

    badge = bob.tile(alice.display_name).locator(".soundboard-now")
    expect(badge).to_have_text("🔊 Long tone")
    # It comes on a new track, not Alice's microphone: the SFU lists her mic muted and a track
    # named soundboard, source ScreenShareAudio; at Bob, the one audio stream that flows is new.
    arriving = [stream.track for stream in flowing(bob.page, "audio", over=1.0)]
    assert len(arriving) == 1 and arriving[0] not in before, (before, arriving)
    tracks = audio_tracks(call_server, room, alice.username)
    assert ("soundboard", SCREEN_SHARE_AUDIO, False) in tracks, tracks
    assert [muted for name, _, muted in tracks if name != "soundboard"] == [True], tracks
    # It arrives, and Bob's own volume for clips keeps it silent, while it still plays.
    assert peak(bob.page, over=1.0) < SILENT
    expect(badge).to_be_visible()

    bob.page.locator("#soundboard-hearing").fill("1")
    heard, deadline = 0.0, time.monotonic() + 6
    while heard < AUDIBLE and time.monotonic() < deadline:
        heard = peak(bob.page, over=0.5)
    assert heard >= AUDIBLE, f"Bob heard nothing of Alice's clip (peak {heard:.4f})"
    print(f"soundboard peak at Bob: {heard:.3f}")
    bob.page.locator("#soundboard-hearing").fill("0.3")
    bob.page.reload()
    expect(bob.page.locator("#soundboard-hearing")).to_have_value("0.3")
