"""Real headless Chromium against a real app server serving the production static setup.

One server (file SQLite, hashed static files from `collectstatic`, CSP on) for the whole
session, without a media server; a second one (`call_crowd`) with the real LiveKit server beside
it, proxied at /livekit/ as `./bin/dev` does, for calls that carry media. Each test opens its own
browser contexts, one per person. Every page is watched for console errors and CSP violations,
and a test fails if any appeared.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from harness.chromium import CHROMIUM, CHROMIUM_ARGS
from harness.livekit import CallStack, call_stack
from harness.people import Crowd, gathered
from harness.servers import AppServer, production_static_server

# The people of the browser tests come from one address.
BROWSER_TEST_ENV = {"RATELIMIT_ENABLE": "0"}


@pytest.fixture(scope="session")
def web_server() -> Iterator[AppServer]:
    extra = {
        **BROWSER_TEST_ENV,
        # Offline and membership lapses show within a second or two instead of ten.
        "PRESENCE_GRACE_SECONDS": "1",
        # Shown in the connection-quality tooltip.
        "SERVER_CITY": "Johannesburg",
    }
    with production_static_server(extra) as server:
        yield server


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: apt-get install -y chromium")
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def crowd(
    browser: Browser, web_server: AppServer, request: pytest.FixtureRequest
) -> Iterator[Crowd]:
    """The people of one test; on teardown, fails the test on any console error or CSP report."""
    with gathered(browser, web_server.url, request.node.name) as crowd:
        yield crowd


@pytest.fixture(scope="session")
def call_server() -> Iterator[CallStack]:
    extra = {
        **BROWSER_TEST_ENV,
        # Long, so that a person leaving the room quickly shows the SFU's webhook at work.
        "PRESENCE_GRACE_SECONDS": "30",
    }
    with call_stack(production_static_server, extra) as stack:
        yield stack


@pytest.fixture
def call_crowd(
    browser: Browser, call_server: CallStack, request: pytest.FixtureRequest
) -> Iterator[Crowd]:
    """The people of one test on the server with the real SFU."""
    with gathered(browser, call_server.app.url, request.node.name) as crowd:
        yield crowd
