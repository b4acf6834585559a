"""The microphone permission flow in a Chromium that really asks: without the fake consent
flag, a page gets the microphone only if the person allowed it. Denied, the call still
connects (muted, as everyone joins) and says how to fix it; allowed later, Unmute works."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, expect

from harness.chromium import CHROMIUM, CHROMIUM_ARGS
from harness.people import Crowd, gathered
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


def test_a_denied_microphone_is_explained_and_unmute_works_once_allowed(
    asking_crowd: Crowd,
) -> None:
    alice = asking_crowd.member("alice", sfu=True)
    page = alice.page
    page.wait_for_function("() => window.__sfu?.room()?.state === 'connected'")

    notice = page.locator("#media-notice")
    expect(notice).to_contain_text(BLOCKED)
    # In the call all the same: presence and the room are unaffected.
    expect(page.locator("#media-unreachable")).to_be_hidden()
    published = "() => !!window.__sfu.room().localParticipant.getTrackPublication('microphone')"
    assert page.evaluate(published) is False

    alice.context.grant_permissions(["microphone"])
    page.locator("#media-mic-button").click()
    page.wait_for_function(published)
    live = "() => !window.__sfu.room().localParticipant.getTrackPublication('microphone').isMuted"
    page.wait_for_function(live)
    expect(page.locator("#media-mic-button")).to_have_attribute("aria-pressed", "false")
