"""The LiveKit adapter against LiveKit's own verifier and a real local room service."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import jwt
import pytest
from livekit.api import TokenVerifier

from harness.fake_livekit import (
    FakeLiveKit,
    sign_webhook,
    unreachable_url,
    webhook_body,
)
from sfu import livekit


def test_participant_token_verifies_with_livekit_and_grants_only_that_room(settings):
    settings.LIVEKIT_API_KEY = "key-under-test"
    settings.LIVEKIT_API_SECRET = "secret-under-test-0123456789abcdef0123456789"
    before = int(time.time())

    token = livekit.participant_token(identity="alice", name="Alice A.", room_name="General")

    claims = TokenVerifier("key-under-test", settings.LIVEKIT_API_SECRET).verify(token)
    assert claims.identity == "alice"
    assert claims.name == "Alice A."
    grants = claims.video
    assert grants is not None
    assert (grants.room_join, grants.room, grants.can_publish, grants.can_subscribe) == (
        True,
        "General",
        True,
        True,
    )
    assert grants.room_admin is None and grants.room_list is None and grants.room_create is None
    assert grants.room_record is None and grants.hidden is None and grants.agent is None
    raw = jwt.decode(token, options={"verify_signature": False})
    assert raw["video"] == {
        "roomJoin": True,
        "room": "General",
        "canPublish": True,
        "canSubscribe": True,
    }
    ttl = int(settings.LIVEKIT_TOKEN_TTL.total_seconds())
    assert before + ttl <= raw["exp"] <= int(time.time()) + ttl


def test_participant_token_is_refused_by_a_verifier_with_another_secret(settings):
    token = livekit.participant_token(identity="bob", name="Bob", room_name="General")
    with pytest.raises(Exception, match="Signature"):
        TokenVerifier(settings.LIVEKIT_API_KEY, "another-secret-0123456789abcdef0123").verify(token)


def test_participant_token_without_keys_is_a_livekit_error(settings):
    settings.LIVEKIT_API_KEY = ""
    with pytest.raises(livekit.LiveKitError, match="Cannot mint"):
        livekit.participant_token(identity="bob", name="Bob", room_name="General")


def test_e2ee_key_is_base64_hmac_sha256_of_the_room_name(settings):
    settings.E2EE_SECRET = "e2ee-secret-for-this-test"
    expected = base64.b64encode(
        hmac.new(b"e2ee-secret-for-this-test", "Jail: Café".encode(), hashlib.sha256).digest()
    ).decode()

    key = livekit.e2ee_key("Jail: Café")

    assert key == expected
    assert len(key) == 44 and key.endswith("=")


def test_room_service_url_turns_websocket_schemes_into_http(settings):
    settings.LIVEKIT_URL = "wss://sfu.example.org/"
    assert livekit.room_service_url() == "https://sfu.example.org"
    settings.LIVEKIT_URL = "ws://localhost:7880"
    assert livekit.room_service_url() == "http://localhost:7880"


# --- Room service ------------------------------------------------------------------------------


async def test_remove_participant_sends_the_room_and_identity_with_a_room_admin_grant(
    fake_livekit: FakeLiveKit,
):
    fake_livekit.add_participant("General", "mallory")

    await livekit.remove_participant(room_name="General", identity="mallory")

    (call,) = fake_livekit.calls
    assert call.method == "RemoveParticipant"
    assert (call.request.room, call.request.identity) == ("General", "mallory")
    assert call.grants.room_admin is True and call.grants.room == "General"
    assert fake_livekit.identities("General") == []


async def test_removing_someone_who_is_not_there_counts_as_done(fake_livekit: FakeLiveKit):
    fake_livekit.add_room("General")

    await livekit.remove_participant(room_name="General", identity="nobody")

    assert fake_livekit.methods() == ["RemoveParticipant"]


async def test_list_participants_returns_identities_and_audio_tracks_only(
    fake_livekit: FakeLiveKit,
):
    fake_livekit.add_participant("Games", "alice", name="Alice", audio_tracks=["TR_a1"])
    fake_livekit.add_participant(
        "Games", "bob", name="Bob", audio_tracks=["TR_b1", "TR_b2"], video_tracks=["TR_bv"]
    )

    participants = await livekit.list_participants(room_name="Games")

    assert participants == [
        livekit.Participant(identity="alice", name="Alice", audio_track_sids=("TR_a1",)),
        livekit.Participant(identity="bob", name="Bob", audio_track_sids=("TR_b1", "TR_b2")),
    ]
    assert fake_livekit.calls[0].grants.room == "Games"


async def test_list_participants_of_a_room_livekit_does_not_know_is_empty(
    fake_livekit: FakeLiveKit,
):
    assert await livekit.list_participants(room_name="Nowhere") == []


async def test_update_subscriptions_sends_tracks_and_direction(fake_livekit: FakeLiveKit):
    fake_livekit.add_participant("Games", "carol")

    await livekit.update_subscriptions(
        room_name="Games", identity="carol", track_sids=["TR_a", "TR_b"], subscribe=False
    )

    (request,) = fake_livekit.requests("UpdateSubscriptions")
    assert (request.room, request.identity) == ("Games", "carol")
    assert list(request.track_sids) == ["TR_a", "TR_b"]
    assert request.subscribe is False


async def test_list_rooms_names_the_open_rooms_with_a_room_list_grant(fake_livekit: FakeLiveKit):
    fake_livekit.add_room("General")
    fake_livekit.add_participant("Games", "dave")

    assert sorted(await livekit.list_rooms()) == ["Games", "General"]
    assert fake_livekit.calls[0].grants.room_list is True


async def test_a_twirp_error_becomes_livekit_unavailable_with_one_line(fake_livekit: FakeLiveKit):
    fake_livekit.fail(status=500, code="internal", msg="database exploded")

    with pytest.raises(livekit.LiveKitUnavailable) as caught:
        await livekit.list_rooms()

    message = str(caught.value)
    assert "\n" not in message
    assert "HTTP 500" in message and "database exploded" in message
    assert fake_livekit.calls == []


async def test_a_proxy_error_page_becomes_livekit_unavailable(fake_livekit: FakeLiveKit):
    fake_livekit.fail(status=502, code=None)

    with pytest.raises(livekit.LiveKitUnavailable, match="HTTP 502"):
        await livekit.remove_participant(room_name="General", identity="bob")


async def test_wrong_keys_are_reported_as_refused_credentials(fake_livekit: FakeLiveKit, settings):
    settings.LIVEKIT_API_SECRET = "not-the-secret-livekit-has-0123456789abcdef"

    with pytest.raises(livekit.LiveKitUnavailable, match="refused our credentials") as caught:
        await livekit.list_rooms()

    assert "LIVEKIT_API_KEY" in str(caught.value)
    assert fake_livekit.calls == []


async def test_an_unreachable_server_is_livekit_unavailable(settings):
    settings.LIVEKIT_URL = unreachable_url()

    with pytest.raises(livekit.LiveKitUnavailable, match="unreachable") as caught:
        await livekit.list_rooms()

    assert "\n" not in str(caught.value)


async def test_a_server_that_hangs_times_out(fake_livekit: FakeLiveKit, monkeypatch):
    monkeypatch.setattr(livekit, "REQUEST_TIMEOUT_SECONDS", 0.2)
    fake_livekit.delay_seconds = 1

    started = time.monotonic()
    with pytest.raises(livekit.LiveKitUnavailable, match="did not answer"):
        await livekit.list_participants(room_name="General")
    assert time.monotonic() - started < 1.5


async def test_failures_can_be_limited_to_the_next_calls(fake_livekit: FakeLiveKit):
    fake_livekit.add_room("General")
    fake_livekit.fail(times=1)

    with pytest.raises(livekit.LiveKitUnavailable):
        await livekit.list_rooms()
    assert await livekit.list_rooms() == ["General"]


# --- Webhooks ----------------------------------------------------------------------------------


def test_a_signed_webhook_is_decoded(settings):
    body = webhook_body(
        "participant_joined", room_name="General", identity="alice", name="Alice", event_id="EV_1"
    )
    authorization = sign_webhook(
        body, api_key=settings.LIVEKIT_API_KEY, api_secret=settings.LIVEKIT_API_SECRET
    )

    event = livekit.webhook_event(body=body, authorization=authorization)

    assert event == livekit.WebhookEvent(
        event="participant_joined",
        event_id="EV_1",
        created_at=1_700_000_000,
        room_name="General",
        identity="alice",
        participant_name="Alice",
        track_sid=None,
        track_is_audio=False,
    )


def test_a_track_webhook_says_whether_the_track_is_audio(settings):
    body = webhook_body("track_published", room_name="G", identity="bob", track_sid="TR_1")
    signed = sign_webhook(
        body, api_key=settings.LIVEKIT_API_KEY, api_secret=settings.LIVEKIT_API_SECRET
    )

    event = livekit.webhook_event(body=body, authorization=f"Bearer {signed}")

    assert (event.track_sid, event.track_is_audio) == ("TR_1", True)


def test_a_webhook_with_a_tampered_body_is_refused(settings):
    body = webhook_body("participant_left", room_name="General", identity="alice")
    authorization = sign_webhook(
        body, api_key=settings.LIVEKIT_API_KEY, api_secret=settings.LIVEKIT_API_SECRET
    )

    with pytest.raises(livekit.InvalidWebhook, match="hash mismatch"):
        livekit.webhook_event(body=body.replace("alice", "bob"), authorization=authorization)


def test_a_webhook_signed_with_another_key_is_refused(settings):
    body = webhook_body("participant_joined", room_name="General", identity="alice")
    authorization = sign_webhook(
        body, api_key=settings.LIVEKIT_API_KEY, api_secret="someone-elses-secret-0123456789abcdef"
    )

    with pytest.raises(livekit.InvalidWebhook):
        livekit.webhook_event(body=body, authorization=authorization)


def test_a_webhook_from_another_api_key_is_refused(settings):
    body = webhook_body("participant_joined", room_name="General", identity="alice")
    authorization = sign_webhook(body, api_key="other-key", api_secret=settings.LIVEKIT_API_SECRET)

    with pytest.raises(livekit.InvalidWebhook):
        livekit.webhook_event(body=body, authorization=authorization)


@pytest.mark.parametrize("authorization", [None, "", "Bearer ", "not-a-jwt"])
def test_an_unsigned_webhook_is_refused(authorization):
    body = webhook_body("participant_joined", room_name="General", identity="alice")
    with pytest.raises(livekit.InvalidWebhook):
        livekit.webhook_event(body=body, authorization=authorization)
