"""A 1.x client and ours in one encrypted call, through the real LiveKit server.

The 1.x way of keying a room, re-implemented here from the 1.x server's wire contract
(original-server.md, section 7 "LiveKit", "E2EE key"), not taken from either code base: the key
is base64 (with padding) of HMAC-SHA256 keyed with the UTF-8 of `E2EE_SECRET` over the UTF-8 of
the room name, and a client passes that string as the passphrase to livekit-client's
`ExternalE2EEKeyProvider.setKey`. The page derives it with WebCrypto, connects a bare
livekit-client `Room` keyed that way (no code of our room page), publishes a tone and listens;
our pages must hear it, and it must hear them.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.call import call_connected, enable_audio, peak, unmute, watch_call
from harness.livekit import CallStack
from harness.people import PASSWORD, Crowd

from .test_real_call import AUDIBLE, SILENT, room_id, wait_for

pytestmark = pytest.mark.browser

# The room key as the contract defines it, computed in the browser with WebCrypto.
DERIVE = """async ([secret, roomName]) => {
  const utf8 = new TextEncoder();
  const hmac = await crypto.subtle.importKey(
    'raw', utf8.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', hmac, utf8.encode(roomName)));
  return btoa(String.fromCharCode(...mac));
}"""

# A client keyed as 1.x keys it: connect with an E2EE key provider and worker, set the room key
# as the passphrase, enable encryption, publish a tone (silent until `speak()`), and keep an ear
# on every remote voice.
ONE_X_CLIENT = """async ([token, key, workerUrl]) => {
  const { sdk } = await import('/static/js/media/adapters/livekit-sdk.js');
  const keyProvider = new sdk.ExternalE2EEKeyProvider();
  const worker = new Worker(workerUrl, { type: 'module' });
  const room = new sdk.Room({ e2ee: { keyProvider, worker } });
  const ctx = new AudioContext();
  await ctx.resume();
  const ears = [];
  window.__oneX = { room, ears, decryptErrors: 0 };
  room.on(sdk.RoomEvent.EncryptionError, () => { window.__oneX.decryptErrors += 1; });
  room.on(sdk.RoomEvent.TrackSubscribed, (track) => {
    if (track.kind !== 'audio') return;
    // Chromium feeds a remote track to Web Audio only while a media element plays it too.
    const element = track.attach();
    element.muted = true;
    const ear = ctx.createAnalyser();
    ctx.createMediaStreamSource(new MediaStream([track.mediaStreamTrack])).connect(ear);
    ears.push(ear);
  });
  await room.connect(new URL('/livekit/', location.href).href.replace('http', 'ws'), token);
  await keyProvider.setKey(key);
  await room.setE2EEEnabled(true);
  const tone = ctx.createOscillator();
  const gain = ctx.createGain();
  gain.gain.value = 0;
  const out = ctx.createMediaStreamDestination();
  tone.connect(gain);
  gain.connect(out);
  tone.start();
  const [voice] = out.stream.getAudioTracks();
  await room.localParticipant.publishTrack(voice, { source: 'microphone' });
  window.__oneX.speak = () => { gain.gain.value = 0.5; };
  return room.isE2EEEnabled;
}"""

# The loudest sample the 1.x client heard from anyone just now.
ONE_X_HEARS = """() => {
  let loudest = 0;
  for (const ear of window.__oneX.ears) {
    const samples = new Float32Array(ear.fftSize);
    ear.getFloatTimeDomainData(samples);
    for (const value of samples) loudest = Math.max(loudest, Math.abs(value));
  }
  return loudest;
}"""


def test_a_client_keyed_the_1x_way_and_ours_hear_each_other(
    call_crowd: Crowd, call_server: CallStack
) -> None:
    alice, bob = call_crowd.member("alice"), call_crowd.member("bob")
    room = call_crowd.unique("Mixed")
    alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    join_url = f"**/api/rooms/{room_id(alice, room)}/join"
    for person in (alice, bob):
        watch_call(person)
        with person.page.expect_response(join_url) as joined:
            person.join(room)
        handed_out = joined.value.json()["e2eeKey"]
        call_connected(person)
        enable_audio(person)
    expect(bob.page.locator("#e2ee-lock")).to_have_attribute("aria-label", "End-to-end encrypted")

    # Someone on a 1.x client: signed in, never on our room page (a plain page of the site).
    carol = call_crowd.newcomer("carol")
    carol.api(
        "POST",
        "/api/session/register",
        {"username": carol.username, "display_name": "Carol", "password": PASSWORD},
    )
    secret = call_server.app.env["E2EE_SECRET"]
    derived = carol.page.evaluate(DERIVE, [secret, room])
    assert len(derived) == 44 and derived.endswith("=")
    assert derived == handed_out, f"our server's key for {room!r} is not the 1.x one"

    token = carol.api("POST", f"/api/rooms/{room_id(carol, room)}/join")["token"]
    worker_url = alice.page.evaluate(
        "() => JSON.parse(document.getElementById('app-config').textContent).e2eeWorkerUrl"
    )
    carol.page.locator("body").click()  # a gesture, so that her page may play sound
    assert carol.page.evaluate(ONE_X_CLIENT, [token, derived, worker_url]) is True

    # Alice and Bob joined muted: past the join chimes Bob hears nothing, then Carol's tone.
    bob.page.wait_for_timeout(2000)
    assert peak(bob.page, over=1.0) < SILENT
    carol.page.evaluate("() => window.__oneX.speak()")
    assert wait_for(lambda: peak(bob.page, over=1.0) >= AUDIBLE), "Bob cannot hear Carol"
    expect(bob.page.locator("#media-notice")).not_to_contain_text("Cannot decrypt")
    # And the 1.x client decrypts Alice.
    unmute(alice)
    assert wait_for(lambda: carol.page.evaluate(ONE_X_HEARS) >= AUDIBLE), "Carol cannot hear Alice"
    assert carol.page.evaluate("() => window.__oneX.decryptErrors") == 0
