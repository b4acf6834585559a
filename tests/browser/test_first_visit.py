"""A newcomer's first minute: placed in a room at once (no lurkers), told where they are and
how to talk, and counted among the people online."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.people import Crowd

pytestmark = pytest.mark.browser


def test_the_first_visit_says_where_i_am_and_how_to_talk_until_dismissed(crowd: Crowd) -> None:
    alice = crowd.member("alice", "Alice")
    page = alice.page
    room = page.locator("#room-name").inner_text()
    welcome = page.get_by_role("region", name=f"Welcome! You are in {room}")
    expect(welcome).to_be_visible()
    expect(welcome).to_contain_text("nobody hears you until you press Unmute")
    expect(welcome).to_contain_text(f"{room} is a voice room")

    welcome.get_by_role("button", name="Got it").click()
    expect(welcome).to_be_hidden()
    page.reload()
    alice.expect_in_room(room)
    expect(page.locator("#welcome")).to_be_hidden()


def test_someone_back_for_another_visit_is_not_welcomed_again(crowd: Crowd) -> None:
    alice = crowd.member("alice", "Alice")
    expect(alice.page.locator("#welcome")).to_be_visible()
    # A second browser: the account has been here before (it has a last room).
    again = crowd.browser.new_context(base_url=crowd.base_url)
    try:
        page = again.new_page()
        page.goto("/login")
        page.locator("#username").fill(alice.username)
        page.locator("#password").fill("correct horse battery staple")
        page.locator("#auth-submit").click()
        expect(page.locator("#room-status")).to_contain_text("member", timeout=30000)
        expect(page.locator("#welcome")).to_be_hidden()
    finally:
        again.close()


def test_i_am_counted_among_the_people_online(crowd: Crowd) -> None:
    # Alone, the panel read "Online — 0": it left out the one person surely online.
    alice = crowd.member("alice", "Alice")
    people = alice.page.locator("#people-panel")
    rows = people.locator("#online-list .person-name")
    expect(rows.first).to_have_text("Alice (you)")
    bob = crowd.member("bob", "Bob")
    expect(people.locator("#online-list .person-name", has_text="Bob")).to_be_visible()
    heading = people.locator("#online-heading").text_content()
    assert heading == f"Online — {rows.count()}"
    assert rows.count() >= 2
    bob.context.close()
    expect(people.locator("#online-list .person-name", has_text="Bob")).to_have_count(0)
    assert people.locator("#online-heading").text_content() == f"Online — {rows.count()}"
