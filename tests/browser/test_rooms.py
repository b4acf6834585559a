"""Creating a room in a dialog, deleting it, and names with HTML shown as text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.people import Crowd
from harness.servers import AppServer, manage

pytestmark = pytest.mark.browser


def test_create_and_delete_a_room(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    bob = crowd.member("bob")
    room = crowd.unique("Studio")
    page = alice.page

    page.get_by_role("button", name="Create a room").click()
    dialog = page.get_by_role("dialog", name="Create a room")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Room name").fill(room)
    dialog.get_by_label("Video").check()
    dialog.get_by_role("button", name="Create").click()
    expect(dialog).to_be_hidden()
    alice.expect_in_room(room)
    expect(alice.room_button(room)).to_contain_text("video")
    expect(bob.room_button(room)).to_be_visible()
    expect(bob.room_members(room)).to_have_text([alice.display_name])

    # Only the creator is offered Delete; the server would refuse anyone else anyway.
    expect(bob.page.get_by_role("button", name=f"Delete room {room}")).to_be_hidden()
    page.get_by_role("button", name=f"Delete room {room}").click()
    confirm = page.get_by_role("dialog", name="Delete room?")
    confirm.get_by_role("button", name="Delete").click()
    expect(alice.room_button(room)).to_have_count(0)
    expect(bob.room_button(room)).to_have_count(0)
    # Nobody is left nowhere: the creator lands in General.
    alice.expect_in_room("General")


def test_create_room_errors_are_shown_verbatim_in_the_dialog(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    alice.allow_console(r"status of 40[09]")
    page = alice.page
    page.get_by_role("button", name="Create a room").click()
    dialog = page.get_by_role("dialog", name="Create a room")
    dialog.get_by_label("Room name").fill("Jail: nope")
    dialog.get_by_role("button", name="Create").click()
    expect(dialog.get_by_role("alert")).to_have_text("Room name contains invalid characters")
    dialog.get_by_label("Room name").fill("General")
    dialog.get_by_role("button", name="Create").click()
    expect(dialog.get_by_role("alert")).to_have_text("A room with that name already exists")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    alice.expect_in_room("General")


def test_a_refused_join_shows_the_error_and_leaves_me_where_i_was(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    room = crowd.unique("Vault")
    created = alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    alice.page.reload()
    alice.expect_in_room("General")
    # The room disappears on the server without this page hearing of it (a lost event).
    alice.page.route(
        "**/api/rooms/*/join",
        lambda route: route.fulfill(
            status=404, content_type="application/json", body='{"error":"Room not found"}'
        ),
    )
    alice.allow_console(r"status of 404")
    assert created["room"]["name"] == room
    alice.room_button(room).click()
    expect(alice.page.get_by_role("alert")).to_have_text(f"Room not found ({room})")
    alice.expect_in_room("General")
    expect(alice.room_members("General")).to_contain_text([f"{alice.display_name} (you)"])


def test_html_in_display_names_and_room_names_is_shown_as_text(crowd: Crowd) -> None:
    sneaky_name = '<img src=x onerror="document.title=1">Mal'
    mallory = crowd.member("mallory", sneaky_name)
    alice = crowd.member("alice")
    # Room names allow no angle brackets, but "&lt" (no semicolon) still means "<" to HTML.
    room = f"Fish &lt chips {crowd.unique('x')}"
    alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    mallory.join(room)
    alice.join(room)
    for person in (alice, mallory):
        page = person.page
        expect(person.room_button(room)).to_contain_text(room)
        expect(page.locator("#room-name")).to_have_text(room)
        assert page.locator("img").count() == 0
        assert page.title() != "1"
    expect(alice.tile(sneaky_name)).to_contain_text(sneaky_name)
    expect(alice.page.locator("#online-list .person-name", has_text=sneaky_name)).to_have_text(
        sneaky_name
    )
    expect(mallory.page.locator("#me-name")).to_have_text(sneaky_name)


def test_staff_are_offered_delete_on_any_room_but_general(
    crowd: Crowd, web_server: AppServer
) -> None:
    alice = crowd.member("alice")
    steward = crowd.member("steward")
    room = crowd.unique("Games")
    alice.api("POST", "/api/rooms", {"name": room})
    manage(
        "shell",
        "-c",
        "from accounts.models import User; "
        f"User.objects.filter(username={steward.username!r}).update(is_staff=True)",
        env=web_server.env,
    )
    steward.page.reload()

    # General is where newcomers land: nobody is offered to delete it, staff neither.
    expect(steward.page.get_by_role("button", name=f"Delete room {room}")).to_be_visible()
    expect(steward.room_button("General")).to_be_visible()
    expect(steward.page.get_by_role("button", name="Delete room General")).to_have_count(0)
