"""2.x's `GET/POST /api/users/me/settings` (the soundbite opt-out, §4 of the 2.x contract), its
refusals, and how a change reaches others at once: the LiveKit participant metadata of the
user's room, `user:soundbite_opt_out` to every page, the hello snapshot and the next token."""

from __future__ import annotations

import uuid

import jwt
import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tokens import token_mint
from presence.selectors import hello_snapshot
from realtime.events import SoundbiteOptOutChanged
from realtime.publish import Everyone
from rooms.models import Room
from rooms.services.membership import room_join
from sfu import outbox
from sfu.models import LiveKitAction

URL = "/api/users/me/settings"


def _client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_mint(user=user)}")
    return client


def _post(user: User, body: object):
    return _client(user).post(URL, body, format="json")


@pytest.fixture
def lounge(alice) -> Room:
    return Room.objects.create(name="Lounge", created_by=alice)


def test_settings_read_false_for_someone_who_never_chose(db, bob):
    response = _client(bob).get(URL)

    assert (response.status_code, response.json()) == (
        200,
        {"settings": {"soundbiteOptOut": False}},
    )


def test_opting_out_is_stored_and_read_back(db, bob):
    response = _post(bob, {"soundbiteOptOut": True})

    assert (response.status_code, response.json()) == (200, {"ok": True})
    assert _client(bob).get(URL).json() == {"settings": {"soundbiteOptOut": True}}
    assert User.objects.get(pk=bob.pk).soundbite_opt_out is True
    _post(bob, {"soundbiteOptOut": False})
    assert _client(bob).get(URL).json() == {"settings": {"soundbiteOptOut": False}}


def test_an_absent_key_or_empty_body_changes_nothing(db, bob):
    _post(bob, {"soundbiteOptOut": True})

    assert _post(bob, {}).json() == {"ok": True}
    assert _client(bob).post(URL).json() == {"ok": True}
    assert User.objects.get(pk=bob.pk).soundbite_opt_out is True


@pytest.mark.parametrize(
    ("body", "error"),
    [
        # 2.x stored any JS-truthy value, so "false" opted out: a bug, refused here.
        ({"soundbiteOptOut": "false"}, "soundbiteOptOut must be true or false"),
        ({"soundbiteOptOut": 1}, "soundbiteOptOut must be true or false"),
        ({"soundbiteOptOut": 0}, "soundbiteOptOut must be true or false"),
        ({"soundbiteOptOut": None}, "soundbiteOptOut must be true or false"),
        ({"soundbiteOptOut": [True]}, "soundbiteOptOut must be true or false"),
        ({"soundbiteOptOut": {"on": True}}, "soundbiteOptOut must be true or false"),
        ({"soundbiteOptOut": True, "volume": 3}, "Unknown setting: volume"),
        ({"soundbiteOptOutt": True}, "Unknown setting: soundbiteOptOutt"),
        ([{"soundbiteOptOut": True}], "Settings must be a JSON object"),
        ("true", "Settings must be a JSON object"),
        (True, "Settings must be a JSON object"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(published, bob, body, error):
    response = _post(bob, body)

    assert (response.status_code, response.json()) == (400, {"error": error})
    assert User.objects.get(pk=bob.pk).soundbite_opt_out is False
    assert published.names() == []


def test_malformed_json_is_a_json_400(db, bob):
    response = _client(bob).post(URL, data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"error": "Malformed JSON body"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_settings_need_a_login(client, method):
    response = getattr(client, method)(URL)

    assert response.status_code == 401
    assert set(response.json()) == {"error"}


def test_an_opt_out_tells_every_page_at_once(published, bob):
    _post(bob, {"soundbiteOptOut": True})
    _post(bob, {"soundbiteOptOut": True})  # no change, no event

    [(event, audience)] = published.of(SoundbiteOptOutChanged)
    assert event.payload() == {
        "user": {"id": bob.pk, "username": "bob", "display_name": "Bob"},
        "soundbiteOptOut": True,
    }
    assert audience == Everyone()
    _post(bob, {"soundbiteOptOut": False})
    assert [e.soundbiteOptOut for e, _ in published.of(SoundbiteOptOutChanged)] == [True, False]


def test_an_opt_out_updates_the_metadata_in_the_users_livekit_room_at_once(
    published, fake_livekit, bob, lounge
):
    room_join(room_id=lounge.pk, user=bob)
    fake_livekit.add_participant("Lounge", "bob")

    _post(bob, {"soundbiteOptOut": True})
    [update] = fake_livekit.requests("UpdateParticipant")
    assert (update.room, update.identity, update.metadata) == (
        "Lounge",
        "bob",
        '{"soundbiteOptOut":true}',
    )

    _post(bob, {"soundbiteOptOut": False})
    # LiveKit reads an empty string as "unchanged", so opting back in says so explicitly.
    assert fake_livekit.requests("UpdateParticipant")[-1].metadata == "{}"
    assert not LiveKitAction.objects.filter(done=False).exists()


def test_someone_in_no_room_owes_livekit_nothing(published, fake_livekit, bob):
    _post(bob, {"soundbiteOptOut": True})

    assert fake_livekit.calls == []
    assert not LiveKitAction.objects.exists()


def test_a_livekit_outage_is_retried_and_the_newest_value_wins(
    published, fake_livekit, bob, lounge
):
    room_join(room_id=lounge.pk, user=bob)
    fake_livekit.add_participant("Lounge", "bob")
    fake_livekit.fail(status=503, code="unavailable")

    assert _post(bob, {"soundbiteOptOut": True}).status_code == 200
    assert _post(bob, {"soundbiteOptOut": False}).status_code == 200

    owed = LiveKitAction.objects.get(done=False)
    assert (owed.kind, owed.identity, owed.metadata) == ("update_metadata", "bob", "")
    fake_livekit.recover()
    outbox.actions_run_due(now=owed.due_at)
    assert fake_livekit.requests("UpdateParticipant")[-1].metadata == "{}"
    assert not LiveKitAction.objects.filter(done=False).exists()


def test_the_join_token_carries_the_opt_out_as_2x_did(db, bob, lounge):
    plain = jwt.decode(
        room_join(room_id=lounge.pk, user=bob)["token"], options={"verify_signature": False}
    )
    assert "metadata" not in plain  # 2.x: no metadata claim at all unless opted out

    _post(bob, {"soundbiteOptOut": True})
    bob = User.objects.get(pk=bob.pk)
    claims = jwt.decode(
        room_join(room_id=lounge.pk, user=bob)["token"], options={"verify_signature": False}
    )
    assert claims["metadata"] == '{"soundbiteOptOut":true}'


def test_the_hello_snapshot_names_who_opted_out(db, alice, bob, carol):
    _post(bob, {"soundbiteOptOut": True})
    _post(carol, {"soundbiteOptOut": True})
    _post(carol, {"soundbiteOptOut": False})

    hello = hello_snapshot(user=alice, connection_id=uuid.uuid4())

    assert hello["soundbiteOptOut"] == ["bob"]
