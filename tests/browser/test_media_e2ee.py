"""E2EE and the media server, in real Chromium against the real page (CSP on, hashed static):
the E2EE worker loads from our static files, and an unreachable SFU is reported while presence
keeps working. No LiveKit server runs in tests, so connecting always ends unreachable."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .people import Crowd

pytestmark = pytest.mark.browser

START_WORKER = """async () => {
  const config = JSON.parse(document.getElementById('app-config').textContent);
  const { sdk } = await import('/static/js/media/livekit.js');
  const worker = new Worker(config.e2eeWorkerUrl, { type: 'module' });
  const reply = await new Promise((resolve, reject) => {
    worker.onmessage = (event) => resolve(event.data.kind);
    worker.onerror = (event) => reject(new Error(event.message || 'worker failed to load'));
    worker.postMessage({
      kind: 'init',
      data: {
        keyProviderOptions: {
          sharedKey: true, ratchetSalt: 'LKFrameEncryptionKey', ratchetWindowSize: 0,
          failureTolerance: -1, keyringSize: 16,
        },
        loglevel: 'warn',
      },
    });
    setTimeout(() => reject(new Error('no answer from the E2EE worker')), 5000);
  });
  worker.terminate();
  return { supported: sdk.isE2EESupported(), url: config.e2eeWorkerUrl, reply };
}"""

ATTACH = """async () => {
  const config = JSON.parse(document.getElementById('app-config').textContent);
  const { media } = await import('/static/js/lib/media.js');
  const { attachMedia } = await import('/static/js/media/attach.js');
  window.__media = await attachMedia(media, {
    me: config.me.username,
    e2eeWorkerUrl: config.e2eeWorkerUrl,
  });
}"""


def test_e2ee_is_detected_and_the_worker_runs_from_our_static_files(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    result = alice.page.evaluate(START_WORKER)
    assert result["supported"] is True
    # Same origin, from the vendored npm package, under its hashed name: no third-party request.
    assert result["url"].startswith("/static/vendor/livekit-client/livekit-client.e2ee.worker.")
    assert result["reply"] == "initAck"


def test_an_unreachable_sfu_is_reported_with_retry_while_presence_stays_live(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    bob = crowd.member("bob")
    # Every attempt to reach the SFU fails at the address the server hands out.
    alice.allow_console(r"status of 404")

    # The layer plugs into the page's own seam and connects the room the page already joined.
    alice.page.evaluate(ATTACH)

    status = alice.page.locator("#room-status")
    expect(status).to_contain_text("Media server unreachable", timeout=40_000)
    connection = alice.page.evaluate("() => window.__media.getState().connection")
    assert connection["state"] == "failed"
    assert connection["failure"] == "unreachable"
    assert connection["canRetry"] is True
    # The E2EE key and worker were ready before the connection was attempted.
    assert connection["e2ee"] == "on"
    # Presence is untouched: a room Bob creates now shows up for Alice at once.
    room = crowd.unique("Lounge")
    bob.api("POST", "/api/rooms", {"name": room})
    expect(alice.room_button(room)).to_be_visible()
    alice.page.evaluate("() => window.__media.dispose()")
