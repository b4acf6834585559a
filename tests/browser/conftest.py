"""Real headless Chromium against a real daphne serving the production static setup.

One server (file SQLite, hashed static files from `collectstatic`, CSP on) for the whole
session; each test opens its own browser contexts, one per person. Every page is watched
for console errors and CSP violations, and a test fails if any appeared.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from tests.support.servers import AppServer, app_env, app_servers, manage

from .people import Crowd

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
    static_root = Path(tempfile.mkdtemp(prefix="distokoloshe-static-"))
    extra = {
        # Production settings: hashed static files behind whitenoise, not the test shortcut.
        "DISTOKOLOSHE_TESTING": "0",
        "STATIC_ROOT": str(static_root),
        # Many sign-ups come from one address in a run.
        "RATELIMIT_ENABLE": "0",
        # Offline and membership lapses show within a second or two instead of ten.
        "PRESENCE_GRACE_SECONDS": "1",
        # Shown in the connection-quality tooltip.
        "SERVER_CITY": "Johannesburg",
    }
    data_dir = Path(tempfile.mkdtemp(prefix="distokoloshe-browser-"))
    try:
        manage("collectstatic", "--noinput", env=app_env(data_dir=data_dir, extra=extra))
        with app_servers(1, extra_env=extra, data_dir=data_dir) as servers:
            yield servers[0]
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.rmtree(data_dir, ignore_errors=True)


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
    crowd = Crowd(browser=browser, base_url=web_server.url, tag=request.node.name)
    try:
        yield crowd
        crowd.assert_clean()
    finally:
        crowd.close()
