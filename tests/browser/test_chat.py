"""Chat beside the call: three people write in a room, one reloads and finds the history, a line
deleted by the room's creator goes from every page, a mention is marked for the one mentioned,
a pasted image arrives, other rooms count unread lines, a refused send (429) is shown, and on a
phone the panel is a drawer."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Locator, expect

from harness.people import Crowd, Person

pytestmark = pytest.mark.browser

IMAGE_URL = re.compile(r"^/api/chat/image/[0-9a-f-]{36}$")

PASTE_IMAGE = """async (input) => {
  const canvas = document.createElement('canvas');
  canvas.width = 40;
  canvas.height = 30;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#e11d48';
  ctx.fillRect(0, 0, 40, 30);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  const data = new DataTransfer();
  data.items.add(new File([blob], 'pasted.png', { type: 'image/png' }));
  const paste = { clipboardData: data, bubbles: true, cancelable: true };
  input.dispatchEvent(new ClipboardEvent('paste', paste));
}"""


def say(person: Person, text: str) -> None:
    box = person.page.get_by_label("Message", exact=True)
    box.fill(text)
    box.press("Enter")


def lines(person: Person) -> Locator:
    return person.page.locator("#chat-lines .chat-line .chat-text")


def line(person: Person, text: str) -> Locator:
    return person.page.locator("#chat-lines .chat-line", has_text=text)


def test_three_people_chat_reload_delete_and_mention(crowd: Crowd) -> None:
    alice, bob, carol = crowd.member("alice"), crowd.member("bob"), crowd.member("carol")
    room = crowd.unique("Chatroom")
    alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    for person in (alice, bob, carol):
        person.join(room)

    say(alice, f"hi @{carol.username}, notes at https://example.com/notes.")
    say(bob, "<b>not bold</b>")
    say(carol, "hello both")
    expected = [
        f"hi @{carol.username}, notes at https://example.com/notes.",
        "<b>not bold</b>",
        "hello both",
    ]
    for person in (alice, bob, carol):
        expect(lines(person)).to_have_text(expected)
        # Markup is shown as text; the link is a link, and only to what was written.
        expect(line(person, "not bold").locator("b")).to_have_count(0)
        link = line(person, "notes at").get_by_role("link", name="https://example.com/notes")
        expect(link).to_have_attribute("href", "https://example.com/notes")
        expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
    # The mention is marked for Carol, and only for her.
    expect(line(carol, "notes at")).to_have_class("chat-line is-mention")
    expect(line(carol, "notes at").locator("mark")).to_have_text(f"@{carol.username}")
    for person in (alice, bob):
        expect(line(person, "notes at").locator("mark")).to_have_count(0)
    # 2.x's speech bubble on the sender's tile.
    expect(carol.tile(alice.display_name).locator(".chat-bubble")).to_contain_text("notes at")
    expect(alice.tile(carol.display_name).locator(".chat-bubble")).to_have_text("hello both")

    bob.page.reload()
    bob.expect_in_room(room)
    expect(lines(bob)).to_have_text(expected)

    # The room's creator deletes Bob's line: it goes from every page, without a reload.
    expect(line(carol, "not bold").get_by_role("button", name="Delete message from")).to_be_hidden()
    line(alice, "not bold").get_by_role(
        "button", name=f"Delete message from {bob.display_name}"
    ).click()
    for person in (alice, bob, carol):
        expect(lines(person)).to_have_text([expected[0], expected[2]])
    carol.page.reload()
    expect(lines(carol)).to_have_text([expected[0], expected[2]])


def test_a_pasted_image_and_unread_counts(crowd: Crowd) -> None:
    alice, bob = crowd.member("alice"), crowd.member("bob")
    room = crowd.unique("Gallery")
    alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    alice.join(room)
    bob.join(room)

    box = alice.page.get_by_label("Message", exact=True)
    box.evaluate(PASTE_IMAGE)
    expect(alice.page.get_by_role("img", name="Image to send")).to_be_visible()
    say(alice, "look")
    expect(alice.page.get_by_role("img", name="Image to send")).to_be_hidden()
    image = line(bob, "look").get_by_role("img", name=f"Image from {alice.display_name}")
    expect(image).to_have_attribute("src", IMAGE_URL)
    assert image.evaluate("(img) => img.decode().then(() => img.naturalWidth)") == 40

    # Bob goes elsewhere; what Alice writes in the room is counted beside it in his list.
    bob.join("General")
    alice.page.wait_for_timeout(1100)
    say(alice, "are you there?")
    expect(bob.room_button(room).locator(".room-unread")).to_have_text("1")
    bob.join(room)
    expect(bob.room_button(room).locator(".room-unread")).to_be_hidden()
    expect(lines(bob)).to_have_text(["look", "are you there?"])


def test_a_refused_send_is_shown_and_the_draft_kept(crowd: Crowd) -> None:
    alice, carol = crowd.member("alice"), crowd.member("carol")
    room = crowd.unique("Hurry")
    alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    alice.join(room)
    carol.join(room)
    # Five lines a second apart (2.x's limit: one a second, five in ten seconds), then one more
    # from the page at once: refused on both counts, so a slow machine still sees the 429.
    for index in range(5):
        if index:
            time.sleep(1.05)
        carol.api("POST", "/api/chat/send", {"text": f"line {index}"})
    carol.allow_console(r"status of 429")
    say(carol, "one too many")
    expect(carol.page.locator("#chat-error")).to_have_text("Slow down — too many messages")
    expect(carol.page.get_by_label("Message", exact=True)).to_have_value("one too many")
    expect(lines(alice)).to_have_text([f"line {index}" for index in range(5)])


def test_on_a_phone_the_chat_is_a_drawer(crowd: Crowd) -> None:
    alice = crowd.member("alice", viewport={"width": 390, "height": 844})
    panel = alice.page.locator("#chat-panel")
    expect(panel).not_to_be_in_viewport()
    alice.page.get_by_role("button", name="Chat", exact=True).click()
    expect(panel).to_be_in_viewport()
    expect(alice.page.get_by_label("Message", exact=True)).to_be_visible()
    alice.page.keyboard.press("Escape")
    expect(panel).not_to_be_in_viewport()


def test_on_a_wide_screen_the_chat_folds_and_stays_folded(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    panel = alice.page.locator("#chat-panel")
    toggle = alice.page.get_by_role("button", name="Chat", exact=True)
    expect(panel).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    alice.page.get_by_role("button", name="Hide chat").click()
    expect(panel).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    alice.page.reload()
    alice.expect_in_room("General")
    expect(panel).to_be_hidden()
    toggle.click()
    expect(panel).to_be_visible()
    expect(alice.page.get_by_label("Message", exact=True)).to_be_focused()
