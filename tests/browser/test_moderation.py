"""Votes, jail and whispers across four browsers, as 1.x §7 with its weaknesses fixed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from harness.people import Crowd, Person

pytestmark = pytest.mark.browser


def _gather(crowd: Crowd, stems: list[str], room_stem: str) -> tuple[list[Person], str]:
    people = [crowd.member(stem) for stem in stems]
    room = crowd.unique(room_stem)
    people[0].api("POST", "/api/rooms", {"name": room, "type": "voice"})
    for person in people:
        person.join(room)
    for person in people:
        expect(person.room_members(room)).to_have_count(len(people))
    return people, room


def _start_vote(voter: Person, target: Person, length: str) -> None:
    """From the target's tile menu: "Vote to jail <name>", then the length."""
    voter.tile(target.display_name).get_by_role(
        "button", name=f"Options for {target.display_name}"
    ).click()
    menu = voter.page.get_by_role("dialog", name=f"Options for {target.display_name}")
    menu.get_by_role("button", name=f"Vote to jail {target.display_name}").click()
    lengths = menu.get_by_role("group", name=f"Jail {target.display_name} for")
    expect(lengths.get_by_role("button")).to_have_text(
        ["for 1 min", "for 5 min", "for 15 min", "for 30 min"]
    )
    lengths.get_by_role("button", name=f"for {length}", exact=True).click()


def test_a_vote_jails_the_fourth_who_returns_when_the_creator_lifts(crowd: Crowd) -> None:
    (alice, bob, carol, dave), room = _gather(crowd, ["alice", "bob", "carol", "dave"], "Court")

    _start_vote(alice, dave, "1 min")

    for person in (alice, bob, carol, dave):
        banner = person.page.locator("#vote-banner")
        if person is not dave:
            expect(banner).to_contain_text(f"Vote to punish: {dave.display_name} (1:00 punishment)")
        expect(banner.locator("#vote-countdown")).to_have_text(re.compile(r"^0:[0-3]\d left$"))
        expect(banner.locator("#vote-counts")).to_have_text("1 yes / 0 no / 3 eligible")
    expect(alice.page.locator("#vote-actions")).to_have_text("Voted Yes")
    expect(dave.page.locator("#vote-actions")).to_have_text(
        "You are being voted on: the others decide."
    )
    # The one voted on reads about themselves in the second person.
    expect(dave.page.locator("#vote-heading")).to_have_text(
        "A vote to jail you is open (1:00 punishment)"
    )
    first = bob.page.locator("#vote-countdown").inner_text()
    expect(bob.page.locator("#vote-countdown")).not_to_have_text(first)

    bob.page.get_by_role("button", name="Yes, Punish").click()

    for person in (alice, bob, carol):
        passed = person.page.locator("#notices .notice-item").first
        expect(passed).to_have_text(f"Vote passed: {dave.display_name} has been sent to jail.")
        # A vote that passed is a success, not an error: green, not red.
        expect(passed).to_have_attribute("data-kind", "success")
        expect(person.page.locator("#vote-banner")).to_be_hidden()
    # Dave is moved to the jail and sees his countdown run.
    dave.expect_in_room(f"Jail: {room}")
    jail_banner = dave.page.locator("#jail-banner")
    expect(jail_banner).to_have_text(
        re.compile(
            rf"^You are in jail: a vote in {re.escape(room)} sent you here\. 0:[0-5]\d remaining$"
        )
    )
    shown = jail_banner.inner_text()
    expect(jail_banner).not_to_have_text(shown)
    expect(dave.page.locator("#leave-button")).to_be_hidden()
    expect(dave.page.locator("#whispers-toggle")).to_be_hidden()

    # Jailed means no switching rooms: they look shut, the page says so and stays put.
    expect(dave.room_button("General")).to_have_attribute("aria-disabled", "true")
    # Still clickable (aria-disabled keeps it focusable), to be told why not.
    dave.room_button("General").click(force=True)
    expect(dave.page.get_by_role("alert")).to_have_text(
        "You are currently jailed and cannot switch rooms"
    )
    dave.expect_in_room(f"Jail: {room}")

    # Everyone in the room sees who is jailed from it; only the creator is offered Lift.
    for person in (alice, bob, carol):
        expect(person.page.locator("#jailed-list .jailed-name")).to_have_text([dave.display_name])
    expect(bob.page.locator("#jailed-list").get_by_role("button")).to_be_hidden()
    expect(carol.page.locator("#jailed-list").get_by_role("button")).to_be_hidden()
    # Nobody else is shown the jail room.
    expect(alice.room_button(f"Jail: {room}")).to_have_count(0)

    alice.page.get_by_role("button", name=f"Lift {dave.display_name}'s punishment").click()
    dave.expect_in_room(room)
    expect(dave.page.locator("#jail-banner")).to_be_hidden()
    # Who lifted it, said to everyone in the room; the freed one is told where they are.
    expect(dave.page.locator("#notices")).to_contain_text(
        f"{alice.display_name} lifted your punishment from {room}. "
        f"You have been moved back to {room}."
    )
    expect(bob.page.locator("#notices")).to_contain_text(
        f"{alice.display_name} lifted {dave.display_name}'s punishment."
    )
    expect(dave.room_button("General")).not_to_have_attribute("aria-disabled", "true")
    expect(alice.room_members(room)).to_contain_text([dave.display_name])
    expect(alice.page.locator("#jailed-panel")).to_be_hidden()
    expect(dave.room_button(f"Jail: {room}")).to_have_count(0)


def test_jailed_user_reloading_lands_in_jail(crowd: Crowd) -> None:
    (alice, bob, carol), room = _gather(crowd, ["alice", "bob", "carol"], "Dock")
    _start_vote(alice, carol, "5 min")
    bob.page.get_by_role("button", name="Yes, Punish").click()
    carol.expect_in_room(f"Jail: {room}")
    carol.page.reload()
    carol.expect_in_room(f"Jail: {room}")
    expect(carol.page.locator("#jail-banner")).to_contain_text(f"a vote in {room} sent you here")


def test_whispers_chain_is_shown_to_every_member(crowd: Crowd) -> None:
    people, _room = _gather(crowd, ["alice", "bob", "carol"], "Parlor")
    alice = people[0]
    alice.page.get_by_role("button", name="Enable Whispers").click()
    alice.page.get_by_role("dialog", name="Turn whispers on?").get_by_role(
        "button", name="Turn on"
    ).click()

    orders = []
    for person in people:
        chain = person.page.locator("#chain-list .chain-entry")
        expect(chain).to_have_count(3)
        names = [re.sub(r" \(.*\)$", "", text) for text in chain.all_inner_texts()]
        orders.append(names)
        # I hear the one before me in the circle.
        me = names.index(person.display_name)
        source = names[me - 1]
        expect(person.page.locator("#whispers-pill")).to_have_text(f"Whispers — You hear: {source}")
        expect(person.tile(source).locator(".tile-badge")).to_have_text("Your source")
        expect(person.page.get_by_role("button", name="Disable Whispers")).to_have_attribute(
            "aria-pressed", "true"
        )
    assert orders[0] == orders[1] == orders[2]
    assert sorted(orders[0]) == sorted(person.display_name for person in people)

    people[1].page.get_by_role("button", name="Disable Whispers").click()
    people[1].page.get_by_role("dialog", name="Turn whispers off?").get_by_role(
        "button", name="Turn off"
    ).click()
    for person in people:
        expect(person.page.locator("#whispers-chain")).to_be_hidden()
        expect(person.page.locator("#whispers-pill")).to_be_hidden()


def test_whispers_errors_reach_the_banner(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    room = crowd.unique("Closet")
    alice.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    alice.join(room)
    alice.allow_console(r"status of 400")
    alice.page.get_by_role("button", name="Enable Whispers").click()
    alice.page.get_by_role("button", name="Turn on").click()
    expect(alice.page.get_by_role("alert")).to_have_text(
        "Need at least 2 participants for Whispers"
    )
