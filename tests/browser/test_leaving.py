"""Closing a tab leaves its room at once (the page's leave beacon), while a reload is never seen
offline: on a server with the default grace, where only the beacon can be that quick."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from harness.people import Crowd, gathered
from harness.servers import AppServer, production_static_server

from .conftest import BROWSER_TEST_ENV

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def default_grace_server() -> Iterator[AppServer]:
    # No PRESENCE_GRACE_SECONDS here: the 15 s a user keeps their place after their last
    # connection goes, as people run it.
    with production_static_server(BROWSER_TEST_ENV) as server:
        yield server


@pytest.fixture
def people(
    browser: Browser, default_grace_server: AppServer, request: pytest.FixtureRequest
) -> Iterator[Crowd]:
    with gathered(browser, default_grace_server.url, request.node.name) as crowd:
        yield crowd


def test_a_closed_tab_leaves_its_room_at_once_and_a_reload_is_never_seen_offline(
    people: Crowd,
) -> None:
    alice = people.member("alice", "Alice Anders")
    bob = people.member("bob", "Bob Berg")
    room = people.unique("Lounge")
    alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    alice.join(room)
    bob.join(room)
    expect(alice.room_members(room)).to_have_text(["Alice Anders (you)", "Bob Berg"])
    offline_bob = alice.page.locator("#offline-list .person", has_text="Bob Berg")

    bob.page.reload()
    bob.expect_in_room(room)
    expect(alice.room_members(room)).to_have_text(["Alice Anders (you)", "Bob Berg"])
    for _ in range(10):  # two seconds in which a flicker would show
        expect(offline_bob).to_have_count(0)
        alice.page.wait_for_timeout(200)

    closed = time.monotonic()
    bob.page.close(run_before_unload=True)
    expect(alice.room_members(room)).to_have_text(["Alice Anders (you)"], timeout=5000)
    assert time.monotonic() - closed < 5, "the room kept a closed tab for its grace"
    people.people.remove(bob)
