"""Whispers mode as 1.x had it (§1.7, §6.8), plus the chain ending itself below two members."""

from __future__ import annotations

from collections import Counter

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tokens import token_mint
from realtime.events import (
    RoomUpdated,
    WhispersActivated,
    WhispersChainUpdated,
    WhispersDeactivated,
)
from realtime.publish import Everyone, Users
from rooms.models import Membership, WhisperLink
from rooms.models import Room as RoomModel
from rooms.selectors import whisper_chain
from rooms.services.membership import membership_end, membership_enter
from rooms.services.whispers import fisher_yates, whispers_reset

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_livekit(settings):
    # Subscription syncs are tried after commit; nothing listens here, so they only log.
    settings.LIVEKIT_URL = "ws://127.0.0.1:9"


@pytest.fixture
def lounge(alice):
    return RoomModel.objects.create(name="Lounge", created_by=alice)


def _client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_mint(user=user)}")
    return client


def _mode(user, room_id, mode):
    return _client(user).post(f"/api/rooms/{room_id}/mode", {"mode": mode}, format="json")


def _seat(room, *users):
    for user in users:
        membership_enter(user=user, room=room)
    room.refresh_from_db()


def test_any_member_turns_whispers_on_with_a_shuffled_chain(published, lounge, alice, bob, carol):
    _seat(lounge, alice, bob, carol)
    published.clear()

    response = _mode(bob, lounge.pk, "whispers")

    assert response.status_code == 200
    body = response.json()
    assert body["mode"] == "whispers"
    assert sorted(e["userId"] for e in body["chain"]) == sorted([alice.pk, bob.pk, carol.pk])
    assert [e["position"] for e in body["chain"]] == [0, 1, 2]
    assert set(body["chain"][0]) == {"userId", "username", "displayName", "position"}
    lounge.refresh_from_db()
    assert lounge.mode == "whispers"
    assert published.names() == ["whispers:activated", "room:updated"]
    [(activated, scope)] = published.of(WhispersActivated)
    assert (activated.roomId, activated.chain, scope) == (
        lounge.pk,
        body["chain"],
        Users((alice.pk, bob.pk, carol.pk)),
    )
    # Everyone's audio changed: the room is told who changed it.
    assert activated.payload()["by"] == {"id": bob.pk, "username": "bob", "displayName": "Bob"}
    [(updated, scope)] = published.of(RoomUpdated)
    assert (updated.room["mode"], scope) == ("whispers", Everyone())


def test_repeating_whispers_reshuffles_without_a_room_update(published, lounge, alice, bob):
    _seat(lounge, alice, bob)
    _mode(alice, lounge.pk, "whispers")
    published.clear()
    response = _client(alice).post(
        f"/api/rooms/{lounge.pk}/mode/", {"mode": "whispers"}, format="json"
    )
    assert response.status_code == 200
    assert published.names() == ["whispers:activated"]


@pytest.mark.parametrize("mode", [None, "", "Whispers", 1, ["whispers"]])
def test_an_unknown_mode_is_refused_first(alice, mode):
    response = _client(alice).post("/api/rooms/999999/mode", {"mode": mode}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"error": 'mode must be "normal" or "whispers"'},
    )


def test_mode_refusals_in_order(lounge, alice, bob):
    jail = RoomModel.objects.create(name="Jail: Lounge", is_jail=True, jail_source=lounge)

    def refusal(room_id, user=alice):
        response = _mode(user, room_id, "whispers")
        return response.status_code, response.json()["error"]

    assert refusal("abc") == (400, "Invalid room ID")
    assert refusal(999_999) == (404, "Room not found")
    assert refusal("99999999999999999999999") == (404, "Room not found")
    assert refusal(jail.pk) == (400, "Cannot change mode of jail rooms")
    assert refusal(lounge.pk) == (403, "You must be in the room to change its mode")


def test_an_outsider_cannot_switch_whispers_off_or_reshuffle(
    published, lounge, alice, bob, mallory
):
    _seat(lounge, alice, bob)
    _mode(alice, lounge.pk, "whispers")
    chain = whisper_chain(lounge.pk)
    published.clear()

    for mode in ("normal", "whispers"):
        response = _mode(mallory, lounge.pk, mode)
        assert (response.status_code, response.json()) == (
            403,
            {"error": "You must be in the room to change its mode"},
        )

    lounge.refresh_from_db()
    assert (lounge.mode, whisper_chain(lounge.pk)) == ("whispers", chain)
    assert published.names() == []


def test_whispers_alone_is_refused_and_stays_normal(published, lounge, alice):
    _seat(lounge, alice)
    published.clear()
    response = _mode(alice, lounge.pk, "whispers")
    assert (response.status_code, response.json()) == (
        400,
        {"error": "Need at least 2 participants for Whispers"},
    )
    lounge.refresh_from_db()
    assert lounge.mode == "normal"
    assert published.names() == []


def test_whispers_refused_in_a_whispers_room_ends_it_cleanly(published, lounge, alice, bob, carol):
    # 1.x flipped the mode silently and kept the chain (weakness 16).
    _seat(lounge, alice, bob, carol)
    _mode(alice, lounge.pk, "whispers")
    # Members gone without the chain noticing, as after a crash.
    Membership.objects.filter(user__in=[bob, carol]).delete()
    published.clear()

    response = _mode(alice, lounge.pk, "whispers")

    assert response.json() == {"error": "Need at least 2 participants for Whispers"}
    lounge.refresh_from_db()
    assert lounge.mode == "normal"
    assert not WhisperLink.objects.filter(room=lounge).exists()
    assert published.names() == ["whispers:deactivated", "room:updated"]


def test_normal_clears_the_chain_and_always_announces(published, lounge, alice, bob):
    _seat(lounge, alice, bob)
    response = _mode(alice, lounge.pk, "normal")
    assert (response.status_code, response.json()) == (200, {"mode": "normal"})
    assert published.names()[-1:] == ["whispers:deactivated"]
    _mode(alice, lounge.pk, "whispers")
    published.clear()

    assert _mode(bob, lounge.pk, "normal").json() == {"mode": "normal"}

    assert whisper_chain(lounge.pk) == []
    assert published.names() == ["whispers:deactivated", "room:updated"]
    [(event, scope)] = published.of(WhispersDeactivated)
    assert (event.payload(), scope) == (
        {"roomId": lounge.pk, "by": {"id": bob.pk, "username": "bob", "displayName": "Bob"}},
        Users((alice.pk, bob.pk)),
    )


def test_joiners_are_appended_and_leavers_renumbered(published, lounge, alice, bob, carol, dave):
    _seat(lounge, alice, bob, carol)
    _mode(alice, lounge.pk, "whispers")
    lounge.refresh_from_db()
    before = [e["userId"] for e in whisper_chain(lounge.pk)]
    published.clear()

    membership_enter(user=dave, room=lounge)
    chain = whisper_chain(lounge.pk)
    assert [e["userId"] for e in chain] == [*before, dave.pk]
    [(joined, _)] = published.of(WhispersChainUpdated)
    assert (joined.reason, joined.chain) == ("user_joined", chain)

    published.clear()
    membership_end(user=User.objects.get(pk=before[0]))
    chain = whisper_chain(lounge.pk)
    assert [e["userId"] for e in chain] == [*before[1:], dave.pk]
    assert [e["position"] for e in chain] == [0, 1, 2]
    [(left, scope)] = published.of(WhispersChainUpdated)
    stayed = tuple(user.pk for user in (alice, bob, carol, dave) if user.pk != before[0])
    assert (left.reason, scope) == ("user_left", Users(stayed))


def test_a_chain_below_two_ends_whispers_mode(published, lounge, alice, bob):
    # 1.x left such rooms in whispers for good (weakness 15).
    _seat(lounge, alice, bob)
    _mode(alice, lounge.pk, "whispers")
    published.clear()

    membership_end(user=bob)

    lounge.refresh_from_db()
    assert lounge.mode == "normal"
    assert whisper_chain(lounge.pk) == []
    assert published.names() == ["user:room_leave", "whispers:deactivated", "room:updated"]


def test_switching_rooms_leaves_the_old_chain(published, lounge, alice, bob, carol):
    # 1.x kept people who switched rooms in the old chain (weakness 14).
    _seat(lounge, alice, bob, carol)
    _mode(alice, lounge.pk, "whispers")
    other = RoomModel.objects.create(name="Other")
    membership_enter(user=carol, room=other)
    assert carol.pk not in [e["userId"] for e in whisper_chain(lounge.pk)]


def test_chain_endpoint(lounge, alice, bob):
    _seat(lounge, alice, bob)
    chain = _mode(alice, lounge.pk, "whispers").json()["chain"]
    assert _client(bob).get(f"/api/rooms/{lounge.pk}/chain").json() == {"chain": chain}
    assert _client(bob).get(f"/api/rooms/{lounge.pk}x/chain/").json() == {"chain": chain}
    assert _client(bob).get("/api/rooms/999999/chain").json() == {"chain": []}
    response = _client(bob).get("/api/rooms/-/chain")
    assert (response.status_code, response.json()) == (400, {"error": "Invalid room ID"})
    assert APIClient().get(f"/api/rooms/{lounge.pk}/chain").status_code == 401


def test_fisher_yates_is_an_unbiased_permutation():
    counts = Counter(tuple(fisher_yates([1, 2, 3])) for _ in range(6000))
    assert set(counts) == {(1, 2, 3), (1, 3, 2), (2, 1, 3), (2, 3, 1), (3, 1, 2), (3, 2, 1)}
    assert all(800 < n < 1200 for n in counts.values())


def test_a_staff_reset_names_the_staff_member(published, lounge, alice, bob, dave):
    _seat(lounge, alice, bob)
    _mode(alice, lounge.pk, "whispers")
    dave.is_staff = True
    dave.save(update_fields=["is_staff"])
    published.clear()

    assert whispers_reset(room=lounge, actor=dave)

    [(event, _)] = published.of(WhispersDeactivated)
    assert event.payload()["by"] == {"id": dave.pk, "username": "dave", "displayName": "Dave"}


def test_a_chain_ending_by_itself_names_nobody(published, lounge, alice, bob):
    _seat(lounge, alice, bob)
    _mode(alice, lounge.pk, "whispers")
    published.clear()

    membership_end(user=bob)

    [(event, _)] = published.of(WhispersDeactivated)
    assert event.payload() == {"roomId": lounge.pk}
