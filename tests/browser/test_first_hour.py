"""What a newcomer trips over in the first hour, each as they would notice it: the countdown
that counts, an outage named as one, where the focus goes, votes only where they can start and
from a person's own menu, who changed what, one notice area that clears itself, honest room
names, video rooms that offer the camera, and the small things (tooltips, colours, a lone tile,
hang-up beside mute, rooms that look shut while jailed)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from harness.people import PASSWORD, Crowd, Person

# Three people and a call per test: under load they need longer than the default.
pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

CONNECTED = "() => window.__sfu?.room()?.state === 'connected'"


def _room_with(crowd: Crowd, stems: list[str], stem: str) -> tuple[list[Person], str]:
    people = [crowd.member(name) for name in stems]
    room = crowd.unique(stem)
    people[0].api("POST", "/api/rooms", {"name": room, "type": "voice"})
    for person in people:
        person.join(room)
    for person in people:
        expect(person.room_members(room)).to_have_count(len(people))
    return people, room


# Wraps the page's WebSocket: while `window.__outage` is set, new sockets go to a path the
# server refuses, as a server that is down would; `window.__drop()` closes the live one.
OUTAGE = """
(() => {
  const Real = window.WebSocket;
  const live = [];
  window.WebSocket = class extends Real {
    constructor(url, protocols) {
      super(window.__outage ? String(url).replace('/ws/events', '/ws/down') : url, protocols);
      live.push(this);
    }
  };
  window.__drop = () => live.forEach((socket) => socket.close());
})();
"""


def test_the_reconnect_countdown_counts_retry_shows_it_tries_and_a_join_says_unreachable(
    crowd: Crowd,
) -> None:
    alice = crowd.member("alice")
    other = crowd.unique("Kbd Room")
    alice.api("POST", "/api/rooms", {"name": other, "type": "voice"})
    alice.allow_console(r"WebSocket|Failed to load resource|ERR_FAILED")
    alice.page.add_init_script(OUTAGE)
    alice.page.reload()
    alice.expect_in_room("General")
    expect(alice.room_button(other)).to_be_visible()

    # The outage: the line drops, nothing reconnects, and joins never reach the server.
    alice.page.route(re.compile(r"/api/rooms/\d+/join$"), lambda route: route.abort())
    alice.page.evaluate("() => { window.__outage = true; window.__drop(); }")
    notice = alice.page.locator("#realtime-text")
    expect(notice).to_contain_text("Reconnecting", timeout=20_000)

    # Backoff grows; once a wait of a few seconds is shown, it must count down.
    seconds = 0
    for _ in range(120):
        match = re.search(r"Reconnecting in (\d+) s", notice.inner_text())
        seconds = int(match.group(1)) if match else 0
        if seconds >= 4:
            break
        alice.page.wait_for_timeout(250)
    assert seconds >= 4, "a wait long enough to watch"
    expect(notice).to_have_text(f"Connection lost. Reconnecting in {seconds - 1} s…")
    expect(notice).to_have_text(f"Connection lost. Reconnecting in {seconds - 2} s…")

    retry = alice.page.locator("#realtime-retry")
    retry.click()
    expect(retry).to_have_text("Retrying…")
    expect(retry).to_have_attribute("aria-disabled", "true")
    expect(retry).to_have_text("Retry now", timeout=10_000)

    alice.room_button(other).click()
    expect(alice.page.get_by_role("alert")).to_have_text(
        f"The server is unreachable, so {other} could not be joined. You are still in "
        "General. Try again when the connection is back."
    )
    alice.expect_in_room("General")


def test_a_vote_is_offered_from_three_people_in_the_persons_menu_with_focus_kept(
    crowd: Crowd,
) -> None:
    (alice, bob), room = _room_with(crowd, ["alice", "bob"], "Quorum")
    # Two people: the server would refuse a vote, so none is offered.
    expect(
        alice.tile(bob.display_name).get_by_role("button", name=re.compile("Options"))
    ).to_be_hidden()

    carol = crowd.member("carol")
    carol.join(room)
    dave = crowd.member("dave")
    dave.join(room)
    options = alice.tile(bob.display_name).get_by_role(
        "button", name=f"Options for {bob.display_name}"
    )
    expect(options).to_have_attribute("title", f"Options for {bob.display_name}")
    options.click()
    menu = alice.page.get_by_role("dialog", name=f"Options for {bob.display_name}")
    vote = menu.get_by_role("button", name=f"Vote to jail {bob.display_name}")
    expect(vote).to_have_attribute("title", re.compile("vote"))
    # Escape closes the menu and gives the focus back to its button.
    alice.page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    assert alice.page.evaluate("() => document.activeElement.classList.contains('tile-options')")

    # Carol's page sits idle (focus nowhere) while Alice starts the vote against Bob.
    carol.page.evaluate("() => document.activeElement.blur()")
    options.click()
    vote.click()
    menu.get_by_role("button", name="for 1 min", exact=True).click()
    expect(alice.page.locator("#vote-banner")).to_be_visible()
    expect(alice.page.locator("#vote-banner")).to_be_focused()

    # Carol: the vote is read out once; her idle page puts the focus on it, one Tab from the
    # ballot.
    expect(carol.page.locator("#vote-live")).to_have_text(
        f"Vote to punish: {bob.display_name} (1:00 punishment). "
        "Cast your ballot: Yes, Punish or No."
    )
    expect(carol.page.locator("#vote-banner")).to_be_focused()
    carol.page.keyboard.press("Tab")
    expect(carol.page.get_by_role("button", name="Yes, Punish")).to_be_focused()
    # (Quickly: the vote is open for 30 s.)
    carol.page.get_by_role("button", name="No", exact=True).click()
    expect(carol.page.locator("#vote-actions")).to_have_text("Voted No")
    # The ballot's button went; the focus stays on the vote, not the page's body.
    expect(carol.page.locator("#vote-banner")).to_be_focused()
    # From anywhere else, "Skip to the vote" is the page's first link while a vote is open.
    first_link = carol.page.locator("a").first
    expect(first_link).to_have_text("Skip to the vote")
    first_link.focus()
    carol.page.keyboard.press("Enter")
    expect(carol.page.locator("#vote-banner")).to_be_focused()

    # The last ballot ends the vote under Dave's focus: it goes to the room, not the body.
    dave.page.get_by_role("button", name="No", exact=True).click()
    expect(dave.page.locator("#vote-banner")).to_be_hidden()
    expect(dave.page.locator("#main")).to_be_focused()


def test_whispers_asks_first_and_everyone_hears_who_changed_it(crowd: Crowd) -> None:
    (alice, bob), _room = _room_with(crowd, ["alice", "bob"], "Hush")
    bob.page.get_by_role("button", name="Enable Whispers").click()
    ask = bob.page.get_by_role("dialog", name="Turn whispers on?")
    expect(ask).to_contain_text("hear only the person before them")
    ask.get_by_role("button", name="Cancel").click()
    expect(bob.page.get_by_role("button", name="Enable Whispers")).to_be_focused()
    expect(alice.page.locator("#whispers-pill")).to_be_hidden()

    bob.page.get_by_role("button", name="Enable Whispers").click()
    ask.get_by_role("button", name="Turn on").click()
    expect(alice.page.locator("#notices")).to_contain_text(
        f"{bob.display_name} turned whispers on: each person now hears only the one before them."
    )
    expect(bob.page.locator("#notices")).to_contain_text("You turned whispers on")

    # The source's footer holds "Your source" and the buttons on one line.
    footer = alice.tile(bob.display_name).locator(".tile-footer")
    expect(footer.locator(".tile-badge")).to_have_text("Your source")
    alice.page.set_viewport_size({"width": 800, "height": 900})
    badge = footer.locator(".tile-badge").bounding_box()
    mute = footer.locator(".tile-mute").bounding_box()
    name = footer.locator(".tile-name").bounding_box()
    assert badge and mute and name
    assert abs((badge["y"] + badge["height"] / 2) - (mute["y"] + mute["height"] / 2)) < 4
    assert abs((name["y"] + name["height"] / 2) - (mute["y"] + mute["height"] / 2)) < 4

    alice.page.get_by_role("button", name="Disable Whispers").click()
    alice.page.get_by_role("dialog", name="Turn whispers off?").get_by_role(
        "button", name="Turn off"
    ).click()
    expect(bob.page.locator("#notices")).to_contain_text(
        f"{alice.display_name} turned whispers off: everyone hears everyone again."
    )


def test_one_notice_area_newest_first_notices_leave_and_errors_stay(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    bob = crowd.member("bob")
    night = crowd.unique("Game Night")
    alice.api("POST", "/api/rooms", {"name": night, "type": "voice"})
    bob.join(night)
    bob.allow_console(r"status of 400")
    # An error first: whispers alone is refused.
    bob.page.get_by_role("button", name="Enable Whispers").click()
    bob.page.get_by_role("button", name="Turn on").click()
    expect(bob.page.get_by_role("alert")).to_have_text("Need at least 2 participants for Whispers")

    alice.api("DELETE", f"/api/rooms/{_room_id(alice, night)}")
    bob.expect_in_room("General")
    items = bob.page.locator("#notices .notice-item")
    # The error about the deleted room's whispers went with the room; its deletion is said,
    # with who did it.
    expect(items).to_have_text([f"{night} was deleted by {alice.display_name}."])
    expect(items.first).to_have_attribute("data-kind", "info")

    # Information leaves by itself.
    expect(items).to_have_count(0, timeout=15_000)
    expect(bob.page.locator("#notices")).to_be_hidden()


def _room_id(person: Person, name: str) -> int:
    rooms = person.api("GET", "/api/rooms")["rooms"]
    return int(next(room["id"] for room in rooms if room["name"] == name))


def test_an_error_stays_until_dismissed_while_a_notice_times_out(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    room = crowd.unique("Closet")
    alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    alice.join(room)
    alice.allow_console(r"status of 400")
    alice.page.get_by_role("button", name="Enable Whispers").click()
    alice.page.get_by_role("button", name="Turn on").click()
    error = alice.page.get_by_role("alert")
    expect(error).to_have_text("Need at least 2 participants for Whispers")
    alice.page.wait_for_timeout(10_000)
    expect(error).to_be_visible()
    alice.page.locator("#notices").get_by_role("button", name="Dismiss message").click()
    expect(alice.page.locator("#notices")).to_be_hidden()


def test_room_names_are_counted_never_cut_and_may_hold_accents_and_emoji(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    page = alice.page
    page.get_by_role("button", name="Create a room").click()
    dialog = page.get_by_role("dialog", name="Create a room")
    expect(dialog.locator("#room-name-hint")).to_have_text(
        "Up to 64 characters: letters, numbers, spaces, emoji and - ! @ # & ( )."
    )
    field = dialog.get_by_label("Room name")
    field.fill("x" * 80)
    expect(field).to_have_value("x" * 80)
    expect(dialog.locator("#room-name-count")).to_have_text("80 / 64")
    dialog.get_by_role("button", name="Create").click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "Room name must be 64 characters or less (this one has 80)"
    )
    expect(field).to_be_focused()
    assert not any(len(room["name"]) > 64 for room in alice.api("GET", "/api/rooms")["rooms"])

    name = f"Café 🎮 {crowd.unique('x')}"
    field.fill(name)
    dialog.get_by_role("button", name="Create").click()
    expect(dialog).to_be_hidden()
    alice.expect_in_room(name)


def test_a_video_room_offers_the_camera(crowd: Crowd) -> None:
    alice = crowd.member("alice", sfu=True)
    page = alice.page
    page.get_by_role("button", name="Create a room").click()
    dialog = page.get_by_role("dialog", name="Create a room")
    name = crowd.unique("Studio")
    dialog.get_by_label("Room name").fill(name)
    dialog.get_by_role("radio", name=re.compile("Video")).check()
    dialog.get_by_role("button", name="Create").click()
    alice.expect_in_room(name)
    page.wait_for_function(CONNECTED)
    offer = page.locator("#camera-offer")
    expect(offer).to_contain_text(f"{name} is a video room: turn your camera on?")
    offer.get_by_role("button", name="Turn camera on").click()
    expect(offer).to_be_hidden()
    assert any(call[:2] == ["setCameraEnabled", True] for call in alice.sfu.calls())

    # A voice room offers nothing.
    alice.join("General")
    page.wait_for_function(CONNECTED)
    expect(offer).to_be_hidden()


def test_hang_up_sits_beside_mute_and_leaves(crowd: Crowd) -> None:
    alice = crowd.member("alice", sfu=True)
    alice.page.wait_for_function(CONNECTED)
    hang_up = alice.page.get_by_role("button", name="Leave the room")
    expect(hang_up).to_be_visible()
    beside = hang_up.evaluate(
        "(b) => b.previousElementSibling.classList.contains('control-mic-group')"
    )
    assert beside, "hang-up comes straight after the microphone"
    hang_up.click()
    expect(alice.page.locator("#room-name")).to_have_text("Select a room to join")


def test_polish_tooltips_lone_tile_signal_and_second_person(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    page = alice.page
    for name in ("Create a room", "Log out"):
        expect(page.get_by_role("button", name=name)).to_have_attribute("title", name)
    theme = page.locator("#theme-toggle")
    label = theme.get_attribute("aria-label")
    expect(theme).to_have_attribute("title", label or "")
    theme.click()
    expect(theme).not_to_have_attribute("title", label or "")
    expect(theme).to_have_attribute("title", theme.get_attribute("aria-label") or "")

    # Alone in General: one tile, not the whole stage.
    page.set_viewport_size({"width": 1440, "height": 900})
    tile = alice.tile(alice.display_name).bounding_box()
    stage = page.locator("#tile-grid").bounding_box()
    assert tile and stage
    assert tile["width"] <= 481 < stage["width"]

    # In a room whose call is down (no media server here), the signal says so.
    page.locator("#connection-quality").focus()
    expect(page.locator("#quality-tooltip")).to_contain_text(
        "No stats: the call is not connected", timeout=45_000
    )


def test_a_wrong_password_leaves_the_focus_on_the_password(crowd: Crowd) -> None:
    bob = crowd.member("bob")
    bob.page.get_by_role("button", name="Log out").click()
    bob.page.wait_for_url("**/login")
    bob.allow_console(r"status of 401")
    bob.page.get_by_label("Username").fill(bob.username)
    bob.page.get_by_label("Password").fill("wrong " + PASSWORD)
    bob.page.get_by_role("button", name="Sign In").click()
    expect(bob.page.locator("#auth-error")).to_have_text("Invalid credentials")
    expect(bob.page.get_by_label("Password")).to_be_focused()
