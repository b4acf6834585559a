"""POST /api/livekit/webhook: only LiveKit-signed bodies are believed; participant events
reconcile membership and hand over to moderation's jail enforcement."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from harness.fake_livekit import API_KEY, API_SECRET, sign_webhook, webhook_body
from moderation.models import Punishment
from presence.services.connections import presence_connect
from rooms.models import Membership, Room
from rooms.services.membership import membership_enter
from sfu.models import LiveKitAction

URL = "/api/livekit/webhook"


@pytest.fixture(autouse=True)
def _livekit_keys(settings):
    settings.LIVEKIT_API_KEY = API_KEY
    settings.LIVEKIT_API_SECRET = API_SECRET


@pytest.fixture
def lobby(alice):
    return Room.objects.create(name="Lobby", created_by=alice)


@pytest.fixture
def hooks(monkeypatch):
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(
        "presence.services.webhooks.punishment_enforce_livekit",
        lambda **kwargs: calls.append(kwargs),
    )
    return calls


def post(client, body: str, authorization: str | None):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    return client.post(URL, data=body, content_type="application/webhook+json", **headers)


def left(identity: str, room: str) -> str:
    return webhook_body("participant_left", room_name=room, identity=identity)


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer not-a-token",
        sign_webhook("{}"),
        sign_webhook(left("bob", "Lobby"), api_secret="another-secret-0123456789abcdef0123456789"),
        sign_webhook(left("bob", "Lobby"), api_key="another-key"),
    ],
    ids=["unsigned", "empty", "garbage", "other-body", "wrong-secret", "wrong-key"],
)
def test_unverified_webhook_is_refused_and_changes_nothing(
    client, published, bob, lobby, hooks, authorization
):
    membership_enter(user=bob, room=lobby)
    published.clear()

    response = post(client, left("bob", "Lobby"), authorization)

    assert response.status_code == 401
    assert response.json() == {"error": "Invalid webhook signature"}
    assert Membership.objects.filter(user=bob, room=lobby).exists()
    assert published.names() == []
    assert hooks == []


def test_tampered_body_is_refused(client, published, bob, lobby, hooks):
    membership_enter(user=bob, room=lobby)
    signed = webhook_body("participant_joined", room_name="Lobby", identity="bob")

    response = post(client, left("bob", "Lobby"), sign_webhook(signed))

    assert response.status_code == 401
    assert Membership.objects.filter(user=bob, room=lobby).exists()


def test_participant_left_ends_membership_of_a_user_without_connections(
    client, published, bob, lobby, hooks
):
    membership_enter(user=bob, room=lobby)
    published.clear()
    body = left("bob", "Lobby")

    response = post(client, body, sign_webhook(body))

    assert response.status_code == 200
    assert not Membership.objects.filter(user=bob).exists()
    assert published.names() == ["user:room_leave"]
    assert published.sent[0][0].roomId == lobby.pk
    assert hooks == []  # leaving needs no jail check


def test_participant_left_keeps_a_user_who_is_still_connected(client, published, bob, lobby, hooks):
    membership_enter(user=bob, room=lobby)
    presence_connect(user=bob, transport="ws", process_id="p1")
    published.clear()
    body = left("bob", "Lobby")

    assert post(client, body, sign_webhook(body)).status_code == 200

    assert Membership.objects.filter(user=bob, room=lobby).exists()
    assert published.names() == []


def test_participant_left_of_another_room_keeps_membership(client, published, bob, lobby, hooks):
    membership_enter(user=bob, room=lobby)
    Room.objects.create(name="Other")
    published.clear()
    body = left("bob", "Other")

    assert post(client, body, sign_webhook(body)).status_code == 200

    assert Membership.objects.filter(user=bob, room=lobby).exists()
    assert published.names() == []


def test_participant_joined_confirms_and_hands_over_to_moderation(
    client, published, bob, lobby, hooks
):
    membership_enter(user=bob, room=lobby)
    published.clear()
    body = webhook_body("participant_joined", room_name="Lobby", identity="bob")

    response = post(client, body, sign_webhook(body))

    assert response.status_code == 200
    assert response.json() == {"received": "participant_joined"}
    assert Membership.objects.filter(user=bob, room=lobby).exists()
    assert published.names() == []
    assert hooks == [{"identity": "bob", "livekit_room": "Lobby"}]


def test_jailed_user_seen_back_in_the_source_room_is_removed_again(
    client, transactional_db, mallory, lobby
):
    jail = Room.objects.create(name="Jail: Lobby", is_jail=True, jail_source=lobby)
    Punishment.objects.create(
        target=mallory,
        source_room=lobby,
        jail_room=jail,
        duration_secs=300,
        expires_at=timezone.now() + timedelta(minutes=5),
    )
    body = webhook_body("participant_joined", room_name="Lobby", identity="mallory")

    assert post(client, body, sign_webhook(body)).status_code == 200

    owed = LiveKitAction.objects.get(kind=LiveKitAction.Kind.REMOVE_PARTICIPANT)
    assert (owed.room_name, owed.identity) == ("Lobby", "mallory")
    # Owed until the jail ends, not for ever.
    assert owed.until == Punishment.objects.get().expires_at
