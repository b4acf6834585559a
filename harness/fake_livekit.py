"""A real local LiveKit room service for tests: Twirp over HTTP on a free 127.0.0.1 port.

No LiveKit server can run on our build machines, so this stands in for its room service with
LiveKit's own pieces: requests are decoded with LiveKit's protobuf classes, bearer tokens are
checked with LiveKit's TokenVerifier (signature, expiry, and the roomAdmin/roomList grants each
method needs), and answers are LiveKit's protobuf responses. Every accepted call is recorded.

    with running_fake_livekit() as lk:          # or the `fake_livekit` fixture
        lk.add_participant("General", "alice", audio_tracks=["TR_a"])
        ...                                     # code under test calls LIVEKIT_URL
        assert lk.requests("RemoveParticipant")[0].identity == "alice"

The server runs its own event loop in a thread, so sync and async tests can both use it.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from google.protobuf.json_format import MessageToJson
from google.protobuf.message import DecodeError, Message
from livekit.api import AccessToken, TokenVerifier, VideoGrants
from livekit.protocol import models as lk_models
from livekit.protocol import room as lk_room
from livekit.protocol import webhook as lk_webhook

from harness.servers import free_port

API_KEY = "fake-livekit-key"
# PyJWT warns about HMAC keys under 32 bytes.
API_SECRET = "fake-livekit-secret-0123456789abcdef0123456789abcdef"

_TWIRP_STATUS = {
    "not_found": 404,
    "unauthenticated": 401,
    "permission_denied": 403,
    "malformed": 400,
    "invalid_argument": 400,
    "bad_route": 404,
    "internal": 500,
    "unavailable": 503,
}

# method -> (request class, needs roomAdmin on the request's room (else roomList))
_METHODS: dict[str, tuple[type[Message], bool]] = {
    "RemoveParticipant": (lk_room.RoomParticipantIdentity, True),
    "ListParticipants": (lk_room.ListParticipantsRequest, True),
    "UpdateSubscriptions": (lk_room.UpdateSubscriptionsRequest, True),
    "MutePublishedTrack": (lk_room.MuteRoomTrackRequest, True),
    "UpdateParticipant": (lk_room.UpdateParticipantRequest, True),
    "ListRooms": (lk_room.ListRoomsRequest, False),
}


class TwirpFailure(Exception):
    def __init__(self, code: str, msg: str, status: int | None = None) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg
        self.status = status or _TWIRP_STATUS.get(code, 500)


@dataclass(frozen=True)
class Call:
    """One accepted room-service call: the method, its decoded request, the caller's grants."""

    method: str
    request: Any
    grants: VideoGrants


@dataclass
class Failure:
    """How the next calls fail: a Twirp error (JSON body) or a bare HTTP error page."""

    status: int
    code: str | None
    msg: str
    remaining: int | None


@dataclass
class FakeLiveKit:
    """The server's state: configured participants, recorded calls, and injected failures."""

    api_key: str = API_KEY
    api_secret: str = API_SECRET
    port: int = 0
    participants: dict[str, list[lk_models.ParticipantInfo]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    delay_seconds: float = 0.0
    _failure: Failure | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        """What LIVEKIT_URL would say: a ws:// URL (the adapter turns it into http://)."""
        return f"ws://127.0.0.1:{self.port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- configuring ----------------------------------------------------------------------------

    def add_room(self, room_name: str) -> None:
        with self._lock:
            self.participants.setdefault(room_name, [])

    def add_participant(
        self,
        room_name: str,
        identity: str,
        *,
        name: str = "",
        audio_tracks: Iterable[str] = (),
        video_tracks: Iterable[str] = (),
    ) -> lk_models.ParticipantInfo:
        """Puts a participant (with published tracks) in a LiveKit room, creating the room."""
        tracks = [
            lk_models.TrackInfo(sid=sid, type=lk_models.TrackType.AUDIO) for sid in audio_tracks
        ] + [lk_models.TrackInfo(sid=sid, type=lk_models.TrackType.VIDEO) for sid in video_tracks]
        info = lk_models.ParticipantInfo(
            sid=f"PA_{identity}",
            identity=identity,
            name=name or identity,
            state=lk_models.ParticipantInfo.ACTIVE,
            tracks=tracks,
        )
        with self._lock:
            self.participants.setdefault(room_name, []).append(info)
        return info

    def fail(
        self,
        *,
        status: int = 500,
        code: str | None = "internal",
        msg: str = "injected failure",
        times: int | None = None,
    ) -> None:
        """Makes the next `times` calls (all, if None) fail; `code=None` answers a non-Twirp
        HTTP error page, as a proxy in front of LiveKit would."""
        with self._lock:
            self._failure = Failure(status=status, code=code, msg=msg, remaining=times)

    def recover(self) -> None:
        with self._lock:
            self._failure = None

    # --- inspecting -----------------------------------------------------------------------------

    def methods(self) -> list[str]:
        with self._lock:
            return [call.method for call in self.calls]

    def requests(self, method: str) -> list[Any]:
        """Decoded requests of every accepted call to `method`, in order."""
        with self._lock:
            return [call.request for call in self.calls if call.method == method]

    def identities(self, room_name: str) -> list[str]:
        with self._lock:
            return [p.identity for p in self.participants.get(room_name, [])]

    # --- serving --------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        injected = self._take_failure()
        if injected is not None:
            if injected.code is None:
                return web.Response(status=injected.status, text="<html>Bad Gateway</html>")
            return _twirp_error(TwirpFailure(injected.code, injected.msg, injected.status))
        method = request.match_info["method"]
        try:
            if method not in _METHODS:
                raise TwirpFailure("bad_route", f"no handler for {method}")
            request_class, needs_room_admin = _METHODS[method]
            message = request_class.FromString(await request.read())
            grants = self._authorise(request, message, needs_room_admin=needs_room_admin)
            with self._lock:
                self.calls.append(Call(method=method, request=message, grants=grants))
                response = getattr(self, f"_do_{method}")(message)
        except DecodeError as exc:
            return _twirp_error(TwirpFailure("malformed", f"bad protobuf: {exc}"))
        except TwirpFailure as exc:
            return _twirp_error(exc)
        return web.Response(body=response.SerializeToString(), content_type="application/protobuf")

    def _take_failure(self) -> Failure | None:
        with self._lock:
            failure = self._failure
            if failure is not None and failure.remaining is not None:
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self._failure = None
            return failure

    def _authorise(
        self, request: web.Request, message: Any, *, needs_room_admin: bool
    ) -> VideoGrants:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise TwirpFailure("unauthenticated", "missing bearer token")
        try:
            claims = TokenVerifier(self.api_key, self.api_secret).verify(header[len("Bearer ") :])
        except Exception as exc:
            raise TwirpFailure("unauthenticated", f"invalid token: {exc}") from exc
        grants = claims.video or VideoGrants()
        if needs_room_admin:
            if not grants.room_admin or grants.room != message.room:
                raise TwirpFailure("permission_denied", "needs roomAdmin on this room")
        elif not grants.room_list:
            raise TwirpFailure("permission_denied", "needs roomList")
        return grants

    def _participant(self, room: str, identity: str) -> lk_models.ParticipantInfo:
        for info in self.participants.get(room, []):
            if info.identity == identity:
                return info
        raise TwirpFailure("not_found", "participant not found")

    def _do_RemoveParticipant(self, req: lk_room.RoomParticipantIdentity) -> Message:
        info = self._participant(req.room, req.identity)
        self.participants[req.room].remove(info)
        return lk_room.RemoveParticipantResponse()

    def _do_ListParticipants(self, req: lk_room.ListParticipantsRequest) -> Message:
        if req.room not in self.participants:
            raise TwirpFailure("not_found", "requested room does not exist")
        return lk_room.ListParticipantsResponse(participants=self.participants[req.room])

    def _do_UpdateSubscriptions(self, req: lk_room.UpdateSubscriptionsRequest) -> Message:
        self._participant(req.room, req.identity)
        return lk_room.UpdateSubscriptionsResponse()

    def _do_MutePublishedTrack(self, req: lk_room.MuteRoomTrackRequest) -> Message:
        info = self._participant(req.room, req.identity)
        for track in info.tracks:
            if track.sid == req.track_sid:
                track.muted = req.muted
                return lk_room.MuteRoomTrackResponse(track=track)
        raise TwirpFailure("not_found", "track not found")

    def _do_UpdateParticipant(self, req: lk_room.UpdateParticipantRequest) -> Message:
        info = self._participant(req.room, req.identity)
        if req.HasField("permission"):
            info.permission.CopyFrom(req.permission)
        if req.name:
            info.name = req.name
        if req.metadata:
            info.metadata = req.metadata
        return info

    def _do_ListRooms(self, req: lk_room.ListRoomsRequest) -> Message:
        names = [name for name in self.participants if not req.names or name in req.names]
        return lk_room.ListRoomsResponse(
            rooms=[
                lk_models.Room(
                    sid=f"RM_{name}", name=name, num_participants=len(self.participants[name])
                )
                for name in names
            ]
        )


def _twirp_error(failure: TwirpFailure) -> web.Response:
    return web.Response(
        status=failure.status,
        text=json.dumps({"code": failure.code, "msg": failure.msg}),
        content_type="application/json",
    )


@contextmanager
def running_fake_livekit(
    *, api_key: str = API_KEY, api_secret: str = API_SECRET
) -> Iterator[FakeLiveKit]:
    """Starts a FakeLiveKit on a free loopback port in a background thread; stops it after."""
    fake = FakeLiveKit(api_key=api_key, api_secret=api_secret, port=free_port())
    app = web.Application()
    app.router.add_post("/twirp/livekit.RoomService/{method}", fake.handle)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app, access_log=None)
    started = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", fake.port).start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, name="fake-livekit", daemon=True)
    thread.start()
    if not started.wait(10):
        raise RuntimeError("fake LiveKit did not start")
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def unreachable_url() -> str:
    """A ws:// URL on a loopback port where nothing listens."""
    return f"ws://127.0.0.1:{free_port()}"


# --- Webhooks -----------------------------------------------------------------------------------


def webhook_body(
    event: str,
    *,
    room_name: str | None = None,
    identity: str | None = None,
    name: str = "",
    track_sid: str | None = None,
    track_audio: bool = True,
    event_id: str = "EV_test",
    created_at: int = 1_700_000_000,
) -> str:
    """A webhook body as LiveKit sends it: its WebhookEvent protobuf in JSON form."""
    message = lk_webhook.WebhookEvent(event=event, id=event_id, created_at=created_at)
    if room_name is not None:
        message.room.CopyFrom(lk_models.Room(sid=f"RM_{room_name}", name=room_name))
    if identity is not None:
        message.participant.CopyFrom(
            lk_models.ParticipantInfo(sid=f"PA_{identity}", identity=identity, name=name)
        )
    if track_sid is not None:
        kind = lk_models.TrackType.AUDIO if track_audio else lk_models.TrackType.VIDEO
        message.track.CopyFrom(lk_models.TrackInfo(sid=track_sid, type=kind))
    return MessageToJson(message)


def sign_webhook(body: str, *, api_key: str = API_KEY, api_secret: str = API_SECRET) -> str:
    """The Authorization header LiveKit sends with `body`: a token whose sha256 claim is the
    base64 SHA-256 of the body, signed with the API key and secret."""
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    return AccessToken(api_key, api_secret).with_sha256(digest).to_jwt()
