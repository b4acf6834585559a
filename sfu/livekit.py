"""The LiveKit adapter: the only module that imports the LiveKit SDK.

Tokens and E2EE keys are pure computation. Room-service calls are async Twirp requests to
LIVEKIT_URL with a short timeout; every failure, whatever its cause, surfaces as one exception
type, `LiveKitUnavailable`, whose message is a single line an operator can act on. Webhooks are
verified with LiveKit's own receiver and handed back as a small dataclass of ours, so no other
module ever touches a protobuf.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import aiohttp
from django.conf import settings
from livekit import api as lk
from livekit.protocol import models as lk_models
from livekit.protocol import room as lk_room

# Room-service calls run after commit, sometimes inside a request; a dead SFU must not hold the
# caller for long.
REQUEST_TIMEOUT_SECONDS = 5.0

_T = TypeVar("_T")


class LiveKitError(Exception):
    """Base of every LiveKit failure this module reports."""


class LiveKitUnavailable(LiveKitError):
    """The room service could not be reached, refused our keys, or answered with an error."""


class InvalidWebhook(LiveKitError):
    """A webhook request without a valid LiveKit signature over exactly this body."""


@dataclass(frozen=True, slots=True)
class Participant:
    """A participant as the SFU sees it: identity (our username) and their audio tracks."""

    identity: str
    name: str
    audio_track_sids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """A verified LiveKit webhook, reduced to what the app reconciles on."""

    event: str
    event_id: str
    created_at: int
    room_name: str | None
    identity: str | None
    participant_name: str | None
    track_sid: str | None
    track_is_audio: bool


# --- Tokens and keys (pure computation) ---------------------------------------------------------


def participant_metadata(*, soundbite_opt_out: bool) -> str:
    """The participant metadata other pages read (2.x's shape): `{"soundbiteOptOut":true}` for
    someone who opted out of soundbites, else empty, as 2.x's tokens then carry none."""
    return '{"soundbiteOptOut":true}' if soundbite_opt_out else ""


def participant_token(
    *,
    identity: str,
    name: str,
    room_name: str,
    can_subscribe: bool = True,
    metadata: str | None = None,
) -> str:
    """A LiveKit access token that lets `identity` join `room_name` and publish (and subscribe,
    unless a bot that only plays) there, valid for LIVEKIT_TOKEN_TTL (it only gates the first
    connect), with `metadata` (if any) as the participant's metadata from the moment they join."""
    grants = lk.VideoGrants(
        room_join=True, room=room_name, can_publish=True, can_subscribe=can_subscribe
    )
    # 1.x's token carried exactly these four grants; an absent canPublishData means true to
    # LiveKit, so leaving it out grants the same while keeping the token shaped like 1.x's.
    grants.can_publish_data = None  # type: ignore[assignment]
    try:
        token = (
            lk.AccessToken(settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET)
            .with_identity(identity)
            .with_name(name)
            .with_grants(grants)
            .with_ttl(settings.LIVEKIT_TOKEN_TTL)
        )
        # No claim at all when there is nothing to say, as 2.x's tokens.
        return (token.with_metadata(metadata) if metadata else token).to_jwt()
    except ValueError as exc:
        raise LiveKitError(f"Cannot mint a LiveKit token: {exc}") from exc


def e2ee_key(room_name: str) -> str:
    """base64(HMAC-SHA256(E2EE_SECRET, room name)) with padding, byte-identical to 1.x's key."""
    digest = hmac.new(
        settings.E2EE_SECRET.encode("utf-8"), room_name.encode("utf-8"), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode("ascii")


# --- Room service (async Twirp calls) -----------------------------------------------------------


def room_service_url() -> str:
    """LIVEKIT_URL with ws/wss turned into http/https, as the room service expects."""
    url: str = settings.LIVEKIT_URL
    if url.startswith("ws"):
        url = "http" + url[2:]
    return url.rstrip("/")


async def _call(operation: Callable[[lk.LiveKitAPI], Awaitable[_T]], *, what: str) -> _T:
    url = room_service_url()
    try:
        # The SDK passes its own per-request timeout (None) to aiohttp, which disables the
        # session's, so the deadline is enforced around the whole call instead.
        async with asyncio.timeout(REQUEST_TIMEOUT_SECONDS):
            async with lk.LiveKitAPI(
                url, settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET, failover=False
            ) as client:
                return await operation(client)
    except lk.ServerError as exc:
        raise LiveKitUnavailable(_describe_server_error(url, what, exc)) from exc
    except TimeoutError as exc:
        raise LiveKitUnavailable(
            f"LiveKit at {url} did not answer {what} within {REQUEST_TIMEOUT_SECONDS:g}s"
        ) from exc
    except aiohttp.ClientError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise LiveKitUnavailable(f"LiveKit at {url} is unreachable ({what}): {reason}") from exc
    except ValueError as exc:
        raise LiveKitUnavailable(f"LiveKit is misconfigured ({what}): {exc}") from exc


def _describe_server_error(url: str, what: str, exc: lk.ServerError) -> str:
    if exc.status == 401 or exc.code in ("unauthenticated", "permission_denied"):
        return (
            f"LiveKit at {url} refused our credentials ({what}): check LIVEKIT_API_KEY and "
            f"LIVEKIT_API_SECRET ({exc.code}: {exc.message})"
        )
    detail = f"{exc.code}: {exc.message}" if exc.message else exc.code
    return f"LiveKit at {url} failed {what} with HTTP {exc.status} ({detail})"


def _is_not_found(exc: LiveKitUnavailable) -> bool:
    cause = exc.__cause__
    return isinstance(cause, lk.ServerError) and cause.code == "not_found"


async def remove_participant(*, room_name: str, identity: str) -> None:
    """Disconnects `identity` from the LiveKit room. Someone who is not there counts as removed."""
    request = lk_room.RoomParticipantIdentity(room=room_name, identity=identity)
    try:
        await _call(lambda c: c.room.remove_participant(request), what="RemoveParticipant")
    except LiveKitUnavailable as exc:
        if not _is_not_found(exc):
            raise


async def list_participants(*, room_name: str) -> list[Participant]:
    """Who is connected to the LiveKit room right now (empty if the room does not exist)."""
    request = lk_room.ListParticipantsRequest(room=room_name)
    try:
        response = await _call(lambda c: c.room.list_participants(request), what="ListParticipants")
    except LiveKitUnavailable as exc:
        if _is_not_found(exc):
            return []
        raise
    return [_participant(info) for info in response.participants]


def _participant(info: lk_models.ParticipantInfo) -> Participant:
    audio = tuple(track.sid for track in info.tracks if track.type == lk_models.TrackType.AUDIO)
    return Participant(identity=info.identity, name=info.name, audio_track_sids=audio)


async def update_subscriptions(
    *, room_name: str, identity: str, track_sids: list[str], subscribe: bool
) -> None:
    """Subscribes (or unsubscribes) `identity` to the given tracks in the LiveKit room."""
    request = lk_room.UpdateSubscriptionsRequest(
        room=room_name, identity=identity, track_sids=track_sids, subscribe=subscribe
    )
    await _call(lambda c: c.room.update_subscriptions(request), what="UpdateSubscriptions")


async def update_metadata(*, room_name: str, identity: str, metadata: str) -> None:
    """Sets `identity`'s participant metadata in the LiveKit room; every page in the room gets
    it at once (ParticipantMetadataChanged). Someone who is not there needs nothing."""
    # An empty string would mean "unchanged" to LiveKit; "{}" clears what was said.
    request = lk_room.UpdateParticipantRequest(
        room=room_name, identity=identity, metadata=metadata or "{}"
    )
    try:
        await _call(lambda c: c.room.update_participant(request), what="UpdateParticipant")
    except LiveKitUnavailable as exc:
        if not _is_not_found(exc):
            raise


async def list_rooms() -> list[str]:
    """Names of the rooms open on the LiveKit server."""
    response = await _call(
        lambda c: c.room.list_rooms(lk_room.ListRoomsRequest()), what="ListRooms"
    )
    return [room.name for room in response.rooms]


# --- Webhooks -----------------------------------------------------------------------------------


def webhook_event(*, body: str, authorization: str | None) -> WebhookEvent:
    """Verifies a LiveKit webhook (API key/secret signature and the body's sha256) and decodes
    it. Raises InvalidWebhook for anything unsigned, mis-signed or tampered with."""
    if not authorization:
        raise InvalidWebhook("missing Authorization header")
    token = authorization.removeprefix("Bearer ").strip()
    receiver = lk.WebhookReceiver(
        lk.TokenVerifier(settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET)
    )
    try:
        event = receiver.receive(body, token)
    except Exception as exc:
        # The receiver raises bare Exceptions (hash mismatch), PyJWT errors and protobuf parse
        # errors; to the caller they all mean the same: do not believe this request.
        raise InvalidWebhook(str(exc) or type(exc).__name__) from exc
    return _webhook(event)


def _webhook(event: lk.WebhookEvent) -> WebhookEvent:
    has_room = event.HasField("room")
    has_participant = event.HasField("participant")
    has_track = event.HasField("track")
    return WebhookEvent(
        event=event.event,
        event_id=event.id,
        created_at=event.created_at,
        room_name=event.room.name if has_room else None,
        identity=event.participant.identity if has_participant else None,
        participant_name=event.participant.name if has_participant else None,
        track_sid=event.track.sid if has_track else None,
        track_is_audio=has_track and event.track.type == lk_models.TrackType.AUDIO,
    )
