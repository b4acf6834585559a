"""`WS /api/music/pipe?token=&roomId=`: 2.x's desktop client streams PCM into a room.

The handshake is refused with 2.x's raw HTTP statuses (401 bad token, 400 bad roomId, 404 no
room, 403 not in it, 409 another user streams there). Then `{"type":"start","title"}`, binary
frames of exactly 3840 bytes (others are dropped), `{"type":"end"}`. This process plays them
itself as a short-lived participant `__pipe-<userId>-<sessionId>__`, encrypted with the room's
key: no second hop for the audio. Reading waits while the participant's buffer is full, and the
server reads nothing more until then, so the upload runs in real time (backpressure)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from accounts.models import User
from accounts.tokens import InvalidToken, token_user
from rooms.selectors import room_find
from sfu import livekit

from .services.pipe import PipeRefused, pipe_admit, pipe_end, pipe_renew, pipe_start

logger = logging.getLogger("music.pipe")

FRAME_BYTES = 3840
MAX_MESSAGE = 15_360
RENEW_SECONDS = 5.0
# No audio for this long after the start counts as the end (2.x: a 5 s stall).
STALL_SECONDS = 5.0
BUSY, MISSING_FIELDS, START_FAILED, RELAY_ERROR, TOO_BIG = 4009, 4400, 4500, 1011, 1009


def _user(token: str) -> User | None:
    try:
        return token_user(token)
    except InvalidToken:
        return None


def _admit(token: str | None, raw_room_id: str | None) -> tuple[User, int]:
    user = _user(token) if token else None
    if user is None:
        raise PipeRefused(401)
    return user, pipe_admit(user=user, raw_room_id=raw_room_id)


class PipeConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    """Relays one streamer's PCM into their room through a participant of its own."""

    user: User
    room_id: int
    speaker: Any = None
    started = False
    over = False
    watch: asyncio.Task[None] | None = None

    async def websocket_connect(self, message: dict[str, Any]) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin1"))
        token, room = query.get("token", [None])[0], query.get("roomId", [None])[0]
        try:
            self.user, self.room_id = await database_sync_to_async(_admit)(token, room)
        except PipeRefused as refused:
            await self._refuse(refused.status)
            return
        self.session_id = str(uuid.uuid4())
        self.last_frame = asyncio.get_running_loop().time()
        await self.accept()

    async def _refuse(self, status: int) -> None:
        if "websocket.http.response" not in self.scope.get("extensions", {}):
            await self.close()
            return
        body = json.dumps({"error": f"HTTP {status}"}).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        start = {"type": "websocket.http.response.start", "status": status, "headers": headers}
        # Raw ASGI messages: the consumer's own `send` takes only text or bytes.
        await self.base_send(start)
        await self.base_send({"type": "websocket.http.response.body", "body": body})

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if bytes_data is not None:
            await self._frame(bytes_data)
            return
        if text_data is None or len(text_data) > MAX_MESSAGE:
            await self.close(code=TOO_BIG)
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            return
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "start" and not self.started and not self.over:
            await self._start(message.get("title"))
        elif kind == "end":
            await self._finish()

    async def _frame(self, frame: bytes) -> None:
        if len(frame) > MAX_MESSAGE:
            await self.close(code=TOO_BIG)
        elif len(frame) == FRAME_BYTES and self.speaker is not None:
            self.last_frame = asyncio.get_running_loop().time()
            await self.speaker.play(frame)

    async def _start(self, raw_title: Any) -> None:
        title = raw_title.strip()[:256] if isinstance(raw_title, str) and raw_title.strip() else ""
        if not title:
            await self.close(code=MISSING_FIELDS)
            return
        taken = await database_sync_to_async(pipe_start)(
            user=self.user, room_id=self.room_id, session_id=self.session_id, title=title
        )
        if not taken:
            await self.send(json.dumps({"type": "busy"}))
            await self.close(code=BUSY)
            return
        self.started = True
        try:
            self.speaker = await self._join(title)
        except Exception as exc:
            logger.warning("pipe into room %s could not start: %s", self.room_id, exc)
            await self.send(json.dumps({"type": "error", "message": "Could not start the stream"}))
            await self.close(code=START_FAILED)
            return
        self.watch = asyncio.create_task(self._keep())
        await self.send(json.dumps({"type": "started", "sessionId": self.session_id}))

    async def _join(self, title: str) -> Any:
        # Imported here: only a process that carries a pipe loads the SDK's native library.
        from .bot.rtc import Speaker

        room_name = await database_sync_to_async(_room_name)(self.room_id)
        identity = f"__pipe-{self.user.pk}-{self.session_id}__"
        token = livekit.participant_token(
            identity=identity,
            name=f"{self.user.display_name}'s stream",
            room_name=room_name,
            can_subscribe=False,
            metadata=json.dumps({"pipeTitle": title[:200]}),
        )
        speaker = Speaker()
        await speaker.join(url=settings.LIVEKIT_URL, token=token, key=livekit.e2ee_key(room_name))
        return speaker

    async def _keep(self) -> None:
        """Renews the lease and ends a stalled stream, or one whose lock another took."""
        ticks = 0
        while True:
            await asyncio.sleep(1.0)
            ticks += 1
            if asyncio.get_running_loop().time() - self.last_frame > STALL_SECONDS:
                await self._finish()
                return
            if ticks % int(RENEW_SECONDS) == 0:
                ours = await database_sync_to_async(pipe_renew)(
                    room_id=self.room_id, session_id=self.session_id, user_id=self.user.pk
                )
                if not ours:
                    await self._finish()
                    return

    async def _finish(self) -> None:
        # The room is freed at once, not when the client's close reply comes back.
        await self._release()
        with contextlib.suppress(Exception):
            await self.send(json.dumps({"type": "ended"}))
        await self.close(code=1000)

    async def disconnect(self, code: int) -> None:
        await self._release()

    async def _release(self) -> None:
        """Leaves the LiveKit room and frees the lock; once, whichever end comes first."""
        self.over = True
        if self.watch is not None and self.watch is not asyncio.current_task():
            self.watch.cancel()
        self.watch = None
        speaker, self.speaker = self.speaker, None
        if speaker is not None:
            await speaker.leave()
        if self.started:
            self.started = False
            await database_sync_to_async(pipe_end)(room_id=self.room_id, session_id=self.session_id)


def _room_name(room_id: int) -> str:
    room = room_find(room_id)
    if room is None:
        raise LookupError("the room was deleted")
    return room.name
