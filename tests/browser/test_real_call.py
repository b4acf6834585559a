"""Calls through the real LiveKit server: voice, video, end-to-end encryption, whispers, jail,
webhooks and a media-server restart, each person in their own Chromium context with its fake
microphone (a beeping tone) and camera (an animated pattern).

What a person hears is read from their page's speakers (an analyser on everything the page
plays); what arrived, from WebRTC's own statistics; who is in a call, from the SFU's own
participant list. Nothing of the page or of LiveKit is replaced.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Page, Route, expect

from harness.call import (
    Inbound,
    call_connected,
    enable_audio,
    flowing,
    inbound,
    livekit_participants,
    peak,
    unmute,
    watch_call,
)
from harness.livekit import CallStack
from harness.people import Crowd, Person

from .room_service import audio_tracks, force_subscribe

pytestmark = pytest.mark.browser

T = TypeVar("T")

# Chromium's fake microphone beeps at full scale; silence is exact zeros.
AUDIBLE = 0.05
SILENT = 0.001


def on_call(crowd: Crowd, *stems: str, room: str | None = None) -> tuple[list[Person], str]:
    """People registered, watched, in one fresh room, connected to its call and hearing it."""
    people = [crowd.member(stem) for stem in stems]
    for person in people:
        watch_call(person)
    name = room or crowd.unique("Call")
    people[0].api("POST", "/api/rooms", {"name": name, "type": "voice"})
    for person in people:
        person.join(name)
    for person in people:
        call_connected(person)
        enable_audio(person)
    return people, name


def test_a_voice_is_heard_and_stops_with_mute_and_deafen(call_crowd: Crowd) -> None:
    (alice, bob), _ = on_call(call_crowd, "alice", "bob")
    # Everyone joins muted: nothing to hear yet.
    assert peak(bob.page) < SILENT

    unmute(alice)
    deadline = time.monotonic() + 15
    heard = 0.0
    while time.monotonic() < deadline and heard < AUDIBLE:
        heard = peak(bob.page, over=1.0)
    assert heard >= AUDIBLE, f"Bob heard nothing of Alice (peak {heard:.4f})"
    # The voice arrived through the SFU, encrypted end to end and decoded as Opus.
    audio = flowing(bob.page, "audio")
    assert [stream.codec for stream in audio] == ["audio/opus"]

    # Each change must be heard within seconds; a loaded machine may take more than one, so
    # each waits for the sound to change, then listens for two more seconds.
    mic = alice.page.locator("#media-mic-button")
    mic.click()
    expect(mic).to_have_attribute("aria-pressed", "true")
    wait_for(lambda: peak(bob.page, over=0.5) < SILENT, timeout=10)
    assert peak(bob.page) < SILENT, "Alice muted, yet Bob still hears her"

    unmute(alice)
    assert wait_for(lambda: peak(bob.page, over=0.5) >= AUDIBLE, timeout=10), "unmuted, unheard"
    bob.page.locator("#media-deafen-button").click()
    # Past the deafen chime.
    bob.page.wait_for_timeout(1500)
    wait_for(lambda: peak(bob.page, over=0.5) < SILENT, timeout=10)
    assert peak(bob.page) < SILENT, "Bob deafened, yet his page still plays Alice"


def decoded_video(page: Page, *, over: float = 1.5) -> list[Inbound]:
    """Inbound video streams whose decoded frame count grew over `over` seconds."""
    before = {s.track: s.framesDecoded for s in inbound(page, "video")}
    page.wait_for_timeout(int(over * 1000))
    return [s for s in inbound(page, "video") if s.framesDecoded > before.get(s.track, 0)]


def wait_for(check: Callable[[], T], *, timeout: float = 20.0, step: float = 0.5) -> T:
    """`check()` once it is truthy, or its last value after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def test_a_camera_and_a_screen_share_arrive_as_decoded_vp9_frames(call_crowd: Crowd) -> None:
    (alice, bob), _ = on_call(call_crowd, "alice", "bob")
    alice.page.locator("#media-camera-button").click()
    expect(alice.page.locator("#media-camera-button")).to_have_attribute("aria-pressed", "true")
    streams = wait_for(lambda: decoded_video(bob.page))
    assert streams, "no video frames from Alice's camera were decoded on Bob's page"
    camera = {s.track for s in streams}
    expect(bob.tile("Alice").locator("video.tile-video")).to_be_visible()

    alice.page.locator("#media-share-button").click()
    alice.page.get_by_role("menu", name="Share quality").get_by_role(
        "menuitemradio", name="Medium (1080p 30fps)"
    ).click()
    expect(alice.page.locator("#media-share-button")).to_have_attribute("aria-pressed", "true")
    # The camera and the share both decode at Bob's.
    both = wait_for(lambda: len(decoded_video(bob.page)) >= 2)
    assert both, "Alice's screen share never decoded on Bob's page"
    [share] = [s for s in decoded_video(bob.page) if s.track not in camera]
    # Our codec policy for shares: VP9 under end-to-end encryption in Chromium.
    assert share.codec == "video/VP9"
    # The tile shows the camera and the share (as its thumbnail).
    expect(bob.tile("Alice").locator("video")).to_have_count(2)


def test_every_track_is_end_to_end_encrypted_and_a_wrong_key_cannot_decode(
    call_crowd: Crowd, call_server: CallStack
) -> None:
    (alice, bob), room = on_call(call_crowd, "alice", "bob")
    unmute(alice)
    alice.page.locator("#media-camera-button").click()
    expect(alice.page.locator("#e2ee-lock")).to_have_attribute("aria-label", "End-to-end encrypted")

    # The SFU itself reports Alice's tracks as encrypted (it forwards ciphertext it cannot read).
    def alices_tracks() -> list[Any]:
        found = [
            p
            for p in livekit_participants(call_server.sfu.url, call_server.app.env, room)
            if p.identity == alice.username
        ]
        return list(found[0].tracks) if found and len(found[0].tracks) >= 2 else []

    tracks = wait_for(alices_tracks)
    assert len(tracks) == 2
    assert all(track.encryption != 0 for track in tracks), tracks  # 0 is NONE

    # Carol's page is handed a different key, as a client deriving it wrongly would hold.
    carol = call_crowd.member("carol")
    watch_call(carol)
    # Every page says, in the console too, that it cannot decrypt Carol (or Carol anyone).
    for person in (alice, bob, carol):
        person.allow_console(r"[Dd]ecryption failed")

    def wrong_key(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        body["e2eeKey"] = "bm90LXRoZS1yb29tcy1rZXktYXQtYWxsLTAxMjM0NTY="
        route.fulfill(response=response, json=body)

    carol.page.route("**/api/rooms/*/join", wrong_key)
    carol.join(room)
    call_connected(carol)
    enable_audio(carol)
    notice = carol.page.locator("#media-notice")
    expect(notice).to_contain_text("Cannot decrypt", timeout=20_000)
    expect(notice).to_contain_text("encryption key does not match")
    # And nothing of Alice plays at Carol's.
    assert peak(carol.page) < SILENT
    # Bob, with the right key, hears her all along.
    assert peak(bob.page) >= AUDIBLE


def voices_flowing(page: Page, *, expected: int, timeout: float = 20.0) -> int:
    """How many voices flow to `page`, once `expected` do or after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        count = len(flowing(page, "audio"))
        if count == expected or time.monotonic() > deadline:
            return count


def test_in_whispers_each_person_hears_only_the_one_before_them(
    call_crowd: Crowd, call_server: CallStack
) -> None:
    (alice, bob, carol), room = on_call(call_crowd, "alice", "bob", "carol")
    for person in (alice, bob, carol):
        unmute(person)
    # Normal mode: everyone receives both others.
    assert voices_flowing(carol.page, expected=2) == 2

    alice.page.get_by_role("button", name="Enable Whispers").click()
    alice.page.get_by_role("button", name="Turn on").click()
    for person in (alice, bob, carol):
        expect(person.page.get_by_role("button", name="Disable Whispers")).to_be_visible()
    # One person before each in the chain: exactly one voice flows to each page.
    for person in (alice, bob, carol):
        voices = voices_flowing(person.page, expected=1)
        assert voices == 1, f"{person.display_name} receives {voices} voices"

    # The SFU itself refuses the rest: asked through its room service to subscribe each person
    # to the voices they must not hear, it still forwards only their predecessor's.
    sfu, env = call_server.sfu.url, call_server.app.env
    source = predecessors(alice, room)
    tracks = wait_for(lambda: published_voices(sfu, env, room, expected=3))
    assert len(tracks) == 3, tracks
    for person in (alice, bob, carol):
        others = [s for who, sids in tracks.items() if who != source[person.username] for s in sids]
        force_subscribe(sfu, env, room, person.username, others)
    alice.page.wait_for_timeout(1500)
    for person in (alice, bob, carol):
        heard = voices_from(person.page)
        assert heard == set(tracks[source[person.username]]), f"{person.display_name}: {heard}"


# Bytes received so far per forwarded audio track, by the SFU's track sid: LiveKit names the
# stream of each track it forwards "<participant sid>|<track sid>" in the offer's msid lines,
# and each inbound stream's statistics name its m-section (mid).
AUDIO_BY_SID = """async () => {
  const bytes = {};
  for (const pc of window.__peers) {
    if (pc.connectionState === 'closed' || !pc.remoteDescription) continue;
    const sids = {};
    for (const section of pc.remoteDescription.sdp.split(/^m=/m).slice(1)) {
      const mid = section.match(/^a=mid:(\\S+)/m);
      const msid = section.match(/^a=msid:(\\S+)/m);
      if (mid && msid) sids[mid[1]] = msid[1].split('|').pop();
    }
    (await pc.getStats()).forEach((stat) => {
      if (stat.type === 'inbound-rtp' && stat.kind === 'audio') {
        bytes[sids[stat.mid] || stat.mid] = stat.bytesReceived || 0;
      }
    });
  }
  return bytes;
}"""


def voices_from(page: Page, *, over: float = 1.5) -> set[str]:
    """The SFU track sids of the voices whose bytes grew at `page` over `over` seconds."""
    before = page.evaluate(AUDIO_BY_SID)
    page.wait_for_timeout(int(over * 1000))
    return {sid for sid, count in page.evaluate(AUDIO_BY_SID).items() if count > before.get(sid, 0)}


def predecessors(viewer: Person, room: str) -> dict[str, str]:
    """Whom each member of the whispers chain hears (their predecessor), by LiveKit identity."""
    path = f"/api/rooms/{room_id(viewer, room)}/chain"
    chain = [entry["username"] for entry in viewer.api("GET", path)["chain"]]
    return {who: chain[(i - 1) % len(chain)] for i, who in enumerate(chain)}


def published_voices(
    sfu: str, env: dict[str, str], room: str, *, expected: int
) -> dict[str, list[str]]:
    """The SFU's list of audio tracks by publisher, once `expected` people publish one."""
    tracks = audio_tracks(sfu, env, room)
    return tracks if sum(1 for sids in tracks.values() if sids) == expected else {}


def test_a_jailed_person_leaves_the_call_at_once_and_a_stale_token_cannot_return(
    call_crowd: Crowd, call_server: CallStack
) -> None:
    (alice, bob, carol), room = on_call(call_crowd, "alice", "bob", "carol")
    # Removed by the server, livekit-client logs its data channels closing as errors.
    carol.allow_console(r"DataChannel error|data channel '\w+' closed unexpectedly")
    # The kept-token client below joins without E2EE: it is told so for every encrypted packet.
    carol.allow_console(r"Received encrypted packet but E2EE not set up")
    # The token Carol's page was given for this room, kept as a modified client would keep it.
    stale_token = carol.api("POST", f"/api/rooms/{room_id(carol, room)}/join")["token"]

    def identities(name: str) -> set[str]:
        listed = livekit_participants(call_server.sfu.url, call_server.app.env, name)
        return {p.identity for p in listed}

    assert wait_for(lambda: carol.username in identities(room))
    vote = alice.api(
        "POST", "/api/votes", {"targetUserId": user_id(alice, carol), "durationSecs": 60}
    )["vote"]
    bob.api("POST", f"/api/votes/{vote['id']}/ballot", {"voteYes": True})
    resolved = time.monotonic()
    gone = wait_for(lambda: carol.username not in identities(room), timeout=5, step=0.1)
    assert gone, "Carol stayed in the call after her jailing"
    assert time.monotonic() - resolved < 2.5
    carol.expect_in_room(f"Jail: {room}")
    assert wait_for(lambda: carol.username in identities(f"Jail: {room}")), "the jail call is empty"

    # The old token still verifies at the SFU, but the server removes her again at once.
    assert carol.page.evaluate(STALE_JOIN, stale_token) in ("refused", "removed")
    assert carol.username not in identities(room)


# Connects with a kept token, as a modified client would: refused during the connection or
# removed right after it, either way out of the room within 5 s.
STALE_JOIN = """async (token) => {
  const { sdk } = await import('/static/js/media/adapters/livekit-sdk.js');
  const room = new sdk.Room();
  const removed = new Promise((resolve) => room.once('disconnected', () => resolve(true)));
  try {
    await room.connect(new URL('/livekit/', location.href).href.replace('http', 'ws'), token);
  } catch {
    return 'refused';
  }
  const later = new Promise((resolve) => setTimeout(() => resolve(false), 5000));
  return (await Promise.race([removed, later])) ? 'removed' : 'stayed';
}"""


def room_id(person: Person, name: str) -> int:
    rooms = person.api("GET", "/api/rooms")["rooms"]
    return int(next(r["id"] for r in rooms if r["name"] == name))


def user_id(viewer: Person, person: Person) -> int:
    return int(
        next(
            u["id"]
            for u in viewer.api("GET", "/api/users")["users"]
            if u["username"] == person.username
        )
    )


def test_the_sfus_webhooks_reach_the_server_and_a_closed_call_leaves_the_room(
    call_crowd: Crowd, call_server: CallStack
) -> None:
    (alice, bob), room = on_call(call_crowd, "alice", "bob")
    sfu_log = call_server.sfu.log_text

    def webhook_sent(event: str, who: Person) -> bool:
        return any(
            f'"event": "{event}"' in line
            and f'"participant": "{who.username}"' in line
            and '"statusCode": 200' in line
            for line in sfu_log().splitlines()
        )

    # Signed by the SFU with our key, verified by the server (anything else answers 401).
    assert wait_for(lambda: webhook_sent("participant_joined", bob))

    # Bob's browser goes away without a goodbye: the SFU notices, tells the server, and Bob
    # leaves the room on Alice's page long before the presence grace period (30 s here) ends.
    bob.page.close(run_before_unload=False)
    bob.context.close()
    started = time.monotonic()
    expect(alice.room_members(room)).to_have_count(1, timeout=10_000)
    assert time.monotonic() - started < 10
    assert webhook_sent("participant_left", bob)
    call_crowd.people.remove(bob)


def test_after_a_media_server_restart_every_page_says_so_then_rejoins_by_itself(
    call_crowd: Crowd, call_server: CallStack
) -> None:
    (alice, bob), _ = on_call(call_crowd, "alice", "bob")
    unmute(alice)
    assert wait_for(lambda: peak(bob.page, over=1.0) >= AUDIBLE)
    for person in (alice, bob):
        person.allow_console(r"livekit|[Ww]eb[Ss]ocket|signal|connect")

    call_server.sfu.stop()
    for person in (alice, bob):
        expect(person.page.locator("#room-status")).to_contain_text("Reconnecting", timeout=40_000)
    call_server.sfu.start()
    for person in (alice, bob):
        expect(person.page.locator("#room-status")).not_to_contain_text(
            "Reconnecting", timeout=60_000
        )
        call_connected(person)
    assert wait_for(lambda: peak(bob.page, over=1.0) >= AUDIBLE), "no voice after the restart"
