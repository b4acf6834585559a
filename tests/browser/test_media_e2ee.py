"""E2EE and the media server, in real Chromium against the real page (CSP on, hashed static):
the E2EE worker loads from our static files, and an unreachable SFU is reported while presence
keeps working. No LiveKit server runs in tests, so connecting always ends unreachable."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.people import Crowd

pytestmark = pytest.mark.browser

START_WORKER = """async () => {
  const config = JSON.parse(document.getElementById('app-config').textContent);
  const { sdk } = await import('/static/js/media/adapters/livekit-sdk.js');
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
    # The page's own media layer, with the real SDK, tries the address the server hands out:
    # no media server answers there in tests.
    banner = alice.page.locator("#media-unreachable")
    expect(banner).to_contain_text("Media server unreachable", timeout=40_000)
    expect(alice.page.locator("#room-status")).to_contain_text("Media server unreachable")
    expect(banner.get_by_role("button", name="Retry")).to_be_visible()
    # E2EE was set up before connecting: the worker came from our static files.
    worker = alice.page.evaluate(
        "() => performance.getEntriesByType('resource').map((e) => e.name)"
        ".filter((name) => name.includes('livekit-client.e2ee.worker'))"
    )
    assert len(worker) == 1 and "/static/vendor/livekit-client/" in worker[0]
    # Presence is untouched: a room Bob creates now shows up for Alice at once.
    room = crowd.unique("Lounge")
    bob.api("POST", "/api/rooms", {"name": room})
    expect(alice.room_button(room)).to_be_visible()
    # Retrying really tries the media server again (and, with none there, says so again).
    probes = (
        "() => performance.getEntriesByType('resource')"
        ".filter((e) => e.name.includes('/livekit/')).length"
    )
    before = alice.page.evaluate(probes)
    banner.get_by_role("button", name="Retry").click()
    alice.page.wait_for_function(f"() => ({probes})() > {before}", timeout=40_000)
    expect(banner).to_contain_text("Media server unreachable", timeout=40_000)
