"""Real headless Chromium against a real app server serving the production static setup.

One server (file SQLite, hashed static files from `collectstatic`, CSP on) for the whole
session; each test opens its own browser contexts, one per person. Every page is watched
for console errors and CSP violations, and a test fails if any appeared.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from tests.support.servers import AppServer, production_static_server

from .people import Crowd, gathered

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def web_server() -> Iterator[AppServer]:
    extra = {
        # Many sign-ups come from one address in a run.
        "RATELIMIT_ENABLE": "0",
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
