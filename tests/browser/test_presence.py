"""Two people in two browsers see each other come online, move between rooms, and go."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import WebSocketRoute, expect

from harness.people import PASSWORD, Crowd

pytestmark = pytest.mark.browser


def test_two_people_see_each_other_online_join_leave_and_go(crowd: Crowd) -> None:
    alice = crowd.member("alice", "Alice Anders")
    bob = crowd.member("bob", "Bob Berg")
    room = crowd.unique("Lounge")
    alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})

    expect(alice.page.locator("#online-list .person-name", has_text="Bob Berg")).to_be_visible()
    expect(bob.page.locator("#online-list .person-name", has_text="Alice Anders")).to_be_visible()

    bob.join(room)
    expect(alice.room_members(room)).to_have_text(["Bob Berg"])
    expect(alice.room_members("General")).not_to_contain_text(["Bob Berg"])

    alice.join(room)
    expect(bob.room_members(room)).to_have_text(["Bob Berg (you)", "Alice Anders"])
    expect(bob.tile("Alice Anders")).to_be_visible()
    expect(bob.page.locator("#room-status")).to_contain_text("2 members")

    bob.page.get_by_role("button", name="Leave room").click()
    expect(bob.page.locator("#room-name")).to_have_text("Select a room to join")
    expect(alice.room_members(room)).to_have_text(["Alice Anders (you)"])

    bob.context.close()
    offline = alice.page.locator("#offline-list .person", has_text="Bob Berg")
    expect(offline).to_be_visible(timeout=15000)
    expect(offline.locator(".last-seen")).to_have_text("Just now")
    expect(alice.page.locator("#online-list .person-name", has_text="Bob Berg")).to_have_count(0)


def test_a_dropped_connection_reconnects_and_the_snapshot_replaces_stale_state(
    crowd: Crowd,
) -> None:
    alice = crowd.newcomer("alice")
    alice.api(
        "POST",
        "/api/session/register",
        {"username": alice.username, "display_name": "Alice", "password": PASSWORD},
    )
    sockets: list[WebSocketRoute] = []
    stranded: list[WebSocketRoute] = []
    network_up = True

    def relay(socket: WebSocketRoute) -> None:
        # While the network is "down" the page gets a socket that leads nowhere.
        if network_up:
            socket.connect_to_server()
            sockets.append(socket)
        else:
            stranded.append(socket)

    alice.page.route_web_socket(re.compile(r"/ws/events$"), relay)
    alice.page.goto("/")
    alice.expect_in_room("General")
    bob = crowd.member("bob")
    room = crowd.unique("Attic")
    bob.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    expect(alice.room_button(room)).to_be_visible()

    # Alice's line drops; her page notices and reconnects, but only into the void.
    network_up = False
    sockets[-1].close(code=1006, reason="dropped")
    expect(alice.page.locator("#realtime-notice")).to_contain_text("Reconnecting")
    for _ in range(50):
        if stranded:
            break
        alice.page.wait_for_timeout(100)
    assert stranded, "the page tried to reconnect"
    # Meanwhile Bob moves: no event about it can reach Alice.
    bob.join(room)
    alice.page.wait_for_timeout(1500)
    expect(alice.room_members(room)).to_have_count(0)

    # The network comes back; the dead socket is noticed and the snapshot alone tells the truth.
    network_up = True
    stranded[-1].close(code=1006, reason="dropped")
    expect(alice.room_members(room)).to_have_text([bob.display_name])
    expect(alice.page.locator("#realtime-notice")).to_be_hidden()
    alice.expect_in_room("General")


def test_too_many_tabs_is_explained_and_can_be_retried(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    tabs = [alice.context.new_page() for _ in range(3)]
    for tab in tabs[:2]:
        tab.goto("/")
        expect(tab.locator("#room-name")).not_to_have_text("Select a room to join")
    # The server allows three live connections per person; the fourth tab is refused.
    fourth = tabs[2]
    fourth.on("console", alice._on_console)
    fourth.goto("/")
    notice = fourth.locator("#realtime-notice")
    expect(notice).to_contain_text("Too many tabs open")
    # The empty stage says why this tab has no rooms, not to pick one from an empty list.
    expect(fourth.locator("#placeholder")).to_contain_text("open in too many other tabs")
    retry = fourth.get_by_role("button", name="Retry now")
    expect(retry).to_be_visible()
    tabs[0].close()
    # The server needs a moment to count the closed tab out; until then a retry is refused.
    for _ in range(20):
        if retry.is_visible():
            retry.click()
        fourth.wait_for_timeout(500)
        if notice.is_hidden():
            break
    expect(notice).to_be_hidden()
    expect(fourth.locator("#room-name")).to_have_text("General")
