"""A phone (390 x 844, touch): the people of a room are a grid of small tiles, and the
push-to-talk switch, which needs a key to hold, is not offered."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.people import Crowd

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_phone_shows_tiles_side_by_side_and_no_push_to_talk(crowd: Crowd) -> None:
    alice = crowd.member("alice", "Alice", sfu=True, **PHONE)
    bob = crowd.member("bob", "Bob")
    carol = crowd.member("carol", "Carol")
    room = crowd.unique("Pocket")
    alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    bob.join(room)
    carol.join(room)
    page = alice.page
    page.get_by_role("button", name="Show rooms").click()
    alice.join(room)
    page.wait_for_function("() => window.__sfu?.room()?.state === 'connected'")
    expect(page.locator("#tile-grid .tile")).to_have_count(3)

    boxes = [tile.bounding_box() for tile in page.locator("#tile-grid .tile").all()]
    assert all(box is not None for box in boxes)
    widths = [box["width"] for box in boxes if box]
    # Not one screen-wide tile per row: at least two share the first row.
    assert max(widths) < 390 * 0.6, widths
    tops = [round(box["y"]) for box in boxes if box]
    assert tops.count(tops[0]) >= 2, tops

    expect(page.locator("#media-mic-button")).to_be_visible()
    expect(page.locator("#media-ptt-button")).to_be_hidden()


def test_a_desktop_keeps_the_push_to_talk_switch(crowd: Crowd) -> None:
    alice = crowd.member("alice", "Alice", sfu=True)
    alice.page.wait_for_function("() => window.__sfu?.room()?.state === 'connected'")
    expect(alice.page.locator("#media-ptt-button")).to_be_visible()
