"""The microphone permission flow in a Chromium that really asks: without the fake consent
flag, a page gets the microphone only if the person allowed it. Joining asks nothing (everyone
joins muted); the first Unmute asks. Denied, the call stays up and says how to fix it;
allowed later, Unmute works."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, expect

from harness.chromium import CHROMIUM, CHROMIUM_ARGS
from harness.people import PASSWORD, Crowd, gathered
from harness.servers import AppServer

pytestmark = pytest.mark.browser

BLOCKED = (
    "Microphone access is blocked. Allow it in your browser's site settings, then press Unmute."
)


@pytest.fixture
def asking_crowd(
    playwright_driver: Playwright, web_server: AppServer, request: pytest.FixtureRequest
) -> Iterator[Crowd]:
    # Fake devices still, but permission prompts are real: unanswered, they are denied.
    args = [arg for arg in CHROMIUM_ARGS if arg != "--use-fake-ui-for-media-stream"]
    browser: Browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=args)
    try:
        with gathered(browser, web_server.url, request.node.name) as crowd:
            yield crowd
    finally:
        browser.close()


# Counts every request for the microphone the page makes.
ASKS = """
window.__asks = 0;
const ask = MediaDevices.prototype.getUserMedia;
MediaDevices.prototype.getUserMedia = function getUserMedia(constraints) {
  if (constraints && constraints.audio) window.__asks += 1;
  return ask.call(this, constraints);
};
"""


def test_joining_asks_nothing_and_a_denied_unmute_is_explained_until_allowed(
    asking_crowd: Crowd,
) -> None:
    alice = asking_crowd.newcomer("alice", sfu=True)
    alice.context.add_init_script(ASKS)
    account = {"username": alice.username, "display_name": "Alice", "password": PASSWORD}
    alice.api("POST", "/api/session/register", account)
    page = alice.page
    page.goto("/")
    page.wait_for_function("() => window.__sfu?.room()?.state === 'connected'")

    # In the call, muted, and the browser was not asked for the microphone.
    expect(page.locator("#media-mic-button")).to_have_attribute("aria-pressed", "true")
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__asks") == 0
    notice = page.locator("#media-notice")
    expect(notice).to_be_hidden()
    published = "() => !!window.__sfu.room().localParticipant.getTrackPublication('microphone')"
    assert page.evaluate(published) is False

    # The first Unmute asks; unanswered, the prompt is a refusal, which is explained.
    page.locator("#media-mic-button").click()
    expect(notice).to_contain_text(BLOCKED)
    assert page.evaluate("() => window.__asks") == 1
    # In the call all the same: presence and the room are unaffected.
    expect(page.locator("#media-unreachable")).to_be_hidden()
    assert page.evaluate(published) is False

    alice.context.grant_permissions(["microphone"])
    page.locator("#media-mic-button").click()
    page.wait_for_function(published)
    live = "() => !window.__sfu.room().localParticipant.getTrackPublication('microphone').isMuted"
    page.wait_for_function(live)
    expect(page.locator("#media-mic-button")).to_have_attribute("aria-pressed", "false")
