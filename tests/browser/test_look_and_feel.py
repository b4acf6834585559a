"""Theme, narrow screens, accessibility (axe-core) and the static plumbing."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from harness.people import Crowd
from harness.servers import ROOT

from .axe import AXE, serious_violations

pytestmark = pytest.mark.browser


def _theme(page: Page) -> str:
    return str(page.evaluate("() => document.documentElement.className"))


def test_theme_follows_the_system_until_chosen_and_survives_reload(crowd: Crowd) -> None:
    # Dark when the system says nothing is covered by the unit tests: Chromium always reports one.
    light_fan = crowd.member("lightfan", color_scheme="light")
    assert _theme(light_fan.page) == "theme-light"
    dark_fan = crowd.member("darkfan", color_scheme="dark")
    assert _theme(dark_fan.page) == "theme-dark"

    page = dark_fan.page
    toggle = page.get_by_role("button", name="Switch to light theme")
    toggle.click()
    assert _theme(page) == "theme-light"
    expect(page.get_by_role("button", name="Switch to dark theme")).to_be_visible()
    page.reload()
    assert _theme(page) == "theme-light"
    # The choice beats the system preference, on the sign-in page too.
    page.emulate_media(color_scheme="dark")
    page.reload()
    assert _theme(page) == "theme-light"
    dark_fan.expect_in_room("General")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")
    assert _theme(page) == "theme-light"


def test_narrow_screens_use_drawers(crowd: Crowd) -> None:
    alice = crowd.member(
        "alice", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    room = crowd.unique("Pocket")
    alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    page = alice.page
    rooms_panel = page.locator("#rooms-panel")
    people_panel = page.locator("#people-panel")
    expect(rooms_panel).not_to_be_in_viewport()
    expect(people_panel).not_to_be_in_viewport()

    open_rooms = page.get_by_role("button", name="Show rooms")
    expect(open_rooms).to_have_attribute("aria-expanded", "false")
    open_rooms.click()
    expect(rooms_panel).to_be_in_viewport()
    expect(open_rooms).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(rooms_panel).not_to_be_in_viewport()
    expect(open_rooms).to_be_focused()

    page.get_by_role("button", name="Show people").click()
    expect(people_panel).to_be_in_viewport()
    page.locator("#drawer-backdrop").click(position={"x": 20, "y": 400})
    expect(people_panel).not_to_be_in_viewport()

    # Choosing a room closes the drawer and shows the room.
    open_rooms.click()
    alice.room_button(room).click()
    expect(rooms_panel).not_to_be_in_viewport()
    alice.expect_in_room(room)

    # Closed drawers are out of the keyboard's way.
    for _ in range(12):
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('[inert]')") is False


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_axe_finds_nothing_serious_on_sign_in_and_room_pages(crowd: Crowd, scheme: str) -> None:
    # axe is injected as an inline script, which our CSP rightly refuses: this context skips CSP.
    visitor = crowd.newcomer("visitor", color_scheme=scheme, bypass_csp=True)
    assert serious_violations(visitor.page) == []
    visitor.page.get_by_role("button", name="Register").click()
    assert serious_violations(visitor.page) == []

    alice = crowd.member("alice", color_scheme=scheme, bypass_csp=True)
    bob = crowd.member("bob")
    room = crowd.unique("Hall")
    alice.api("POST", "/api/rooms", {"name": room, "type": "video"})
    bob.join(room)
    alice.join(room)
    expect(alice.tile(bob.display_name)).to_be_visible()
    assert serious_violations(alice.page) == []
    alice.page.get_by_role("button", name="Create a room").click()
    assert serious_violations(alice.page) == []


def test_keyboard_alone_can_join_a_room_and_start_a_vote(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    bob = crowd.member("bob")
    carol = crowd.member("carol")
    room = crowd.unique("Keys")
    alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    bob.join(room)
    carol.join(room)
    page = alice.page
    alice.room_button(room).focus()
    page.keyboard.press("Enter")
    alice.expect_in_room(room)
    options = alice.tile(bob.display_name).get_by_role(
        "button", name=f"Options for {bob.display_name}"
    )
    options.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=f"Vote to jail {bob.display_name}")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="for 1 min", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="for 5 min", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name=f"Options for {bob.display_name}")).to_have_count(0)
    expect(options).to_be_focused()
    # Focus is visible: the focused control gets an outline.
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_livekit_client_and_its_worker_are_served_hashed_from_our_origin(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    page = alice.page
    import_map = json.loads(page.locator('script[type="importmap"]').inner_text())
    livekit_url = import_map["imports"]["livekit-client"]
    assert re.fullmatch(
        r"/static/vendor/livekit-client/livekit-client\.esm\.[0-9a-f]{12}\.mjs", livekit_url
    )
    assert re.fullmatch(
        r"/static/js/lib/api\.[0-9a-f]{12}\.js", import_map["imports"]["/static/js/lib/api.js"]
    )
    pinned = json.loads((ROOT / "package-lock.json").read_text())["packages"][
        "node_modules/livekit-client"
    ]["version"]
    version = page.evaluate("async () => (await import('livekit-client')).version")
    assert version == pinned
    config = json.loads(page.locator("#app-config").inner_text())
    worker = page.request.get(config["e2eeWorkerUrl"])
    assert worker.ok
    assert worker.headers["content-type"].startswith("text/javascript")
    assert "immutable" in worker.headers.get("cache-control", "")
    csp = page.request.get("/").headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp
    assert re.search(r"script-src [^;]*'nonce-[A-Za-z0-9+/=]+'", csp)
    assert AXE.exists()


def test_the_api_docs_render_under_the_content_security_policy(crowd: Crowd) -> None:
    reader = crowd.member("reader")
    reader.page.goto("/api/docs/")
    expect(reader.page.get_by_role("heading", name=re.compile("disTokoloshe API"))).to_be_visible()
    expect(reader.page.get_by_text("/api/rooms/{room_id}/join").first).to_be_visible()
