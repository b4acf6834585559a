"""Every page at the widths people use (a phone, half a 1920 screen beside a game, laptops,
desktops), in both themes: no text on top of other text, no name cut short."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from playwright.sync_api import Page, expect

from harness.people import Crowd, Person

from .layout import layout_problems

pytestmark = pytest.mark.browser

WIDTHS = [360, 800, 960, 1024, 1280, 1440]
THEMES: list[Literal["light", "dark"]] = ["light", "dark"]
# A name of ordinary length: it must be read whole at every width.
ROOM = "Game Night"
TWO_FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"


def fits(problems: list[str]) -> None:
    # One line per problem: pytest's diff of long lists is slow and hard to read.
    assert not problems, "\n".join(["layout problems:", *problems])


def _problems_at_every_size(page: Page, height: int = 900) -> list[str]:
    found = []
    # Drawers slide for 200 ms after a resize: measured without motion, the page is as it settles.
    page.emulate_media(reduced_motion="reduce")
    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            # Layout settles within a frame; wait for two to be sure.
            page.evaluate(TWO_FRAMES)
            found += [f"{width} px, {theme}: {problem}" for problem in layout_problems(page)]
    return found


def _room_of_three(crowd: Crowd, *, phone: bool = False) -> tuple[Person, str]:
    options: dict[str, Any] = {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    }
    alice = crowd.member("alice", "Alice Anderson", **(options if phone else {}))
    bob = crowd.member("bob", "Bob")
    carol = crowd.member("carol", "Carol")
    room = f"{ROOM} {crowd.unique('r')[-4:]}"
    created = alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    # A long name of one word beside a type tag is the hardest for the room list to show whole.
    alice.api("POST", "/api/rooms", {"name": crowd.unique("Screening_Room"), "type": "video"})
    for person in (bob, carol):
        person.join(room)
    if phone:
        # On a phone the room list is a drawer.
        alice.page.get_by_role("button", name="Show rooms").click()
    alice.join(room)
    return alice, str(created["room"]["id"])


def test_sign_in_page_fits_every_width(crowd: Crowd) -> None:
    visitor = crowd.newcomer("visitor")
    fits(_problems_at_every_size(visitor.page))
    visitor.page.get_by_role("button", name="Register").click()
    fits(_problems_at_every_size(visitor.page))


def test_room_header_keeps_the_name_whole_with_whispers_off_and_on(crowd: Crowd) -> None:
    alice, room_id = _room_of_three(crowd)
    page = alice.page
    # No media server runs here: the status line says so, and must stay readable too.
    expect(page.locator("#room-status")).to_contain_text("3 members")
    fits(_problems_at_every_size(page))

    alice.api("POST", f"/api/rooms/{room_id}/mode", {"mode": "whispers"})
    expect(page.locator("#whispers-pill")).to_be_visible()
    fits(_problems_at_every_size(page))
    # Shrunk to icons, the header's buttons still say what they do.
    page.set_viewport_size({"width": 1024, "height": 900})
    expect(page.get_by_role("button", name="Disable Whispers")).to_be_visible()
    expect(page.get_by_role("button", name="Leave room")).to_be_visible()


def test_phone_layout_fits_with_whispers_on(crowd: Crowd) -> None:
    alice, room_id = _room_of_three(crowd, phone=True)
    alice.api("POST", f"/api/rooms/{room_id}/mode", {"mode": "whispers"})
    page = alice.page
    page.emulate_media(reduced_motion="reduce")
    expect(page.locator("#whispers-pill")).to_be_visible()
    for width in (360, 390):
        page.set_viewport_size({"width": width, "height": 844})
        fits(layout_problems(page))
    name = page.locator("#room-name").bounding_box()
    assert name is not None and name["width"] > 80
