"""Voices for `bench.media_call`'s crowd: members who join a room through the app's 1.x API and
publish a tone as their microphone on LiveKit's Python SDK, end-to-end encrypted with the key the
join gave them. A 2-core machine cannot run sixteen Chromium pages at once; it can run one page
among fifteen of these, which is what that page's person pays in a room of sixteen.

They subscribe to nothing, and their event loop runs on a thread of its own."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.request
from typing import Any

import numpy as np
from livekit import rtc

RATE = 48_000
FRAME = RATE // 50  # 20 ms
# 500 Hz fits a 20 ms frame exactly (ten periods), so frame after frame is one steady tone.
TONE = (np.sin(2 * np.pi * 500 * np.arange(FRAME) / RATE) * 0.3 * 32767).astype(np.int16)


def api(base_url: str, method: str, path: str, body: Any, token: str = "") -> Any:
    """One JSON request to the app, as a 1.x client makes it."""
    request = urllib.request.Request(
        base_url + path,
        data=json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


class Voices:
    """SDK participants, each a registered member of the app talking in one room."""

    def __init__(self, *, app_url: str, sfu_url: str) -> None:
        self.app_url = app_url
        self.sfu_url = sfu_url.replace("http", "ws", 1)
        self.rooms: list[rtc.Room] = []
        self.feeders: list[asyncio.Future[None]] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def add(self, *, username: str, password: str, room_id: int) -> None:
        """Registers `username`, joins the room through the app, and talks there."""
        body = {"username": username, "password": password, "display_name": username}
        token = api(self.app_url, "POST", "/api/auth/register", body)["token"]
        grant = api(self.app_url, "POST", f"/api/rooms/{room_id}/join", {}, token)
        future = asyncio.run_coroutine_threadsafe(self._talk(grant), self.loop)
        future.result(timeout=60)

    async def _talk(self, grant: dict[str, Any]) -> None:
        key = rtc.KeyProviderOptions(shared_key=grant["e2eeKey"].encode("ascii"))
        options = rtc.RoomOptions(auto_subscribe=False, encryption=rtc.E2EEOptions(key))
        room = rtc.Room()
        await room.connect(self.sfu_url, grant["token"], options)
        self.rooms.append(room)
        source = rtc.AudioSource(RATE, 1)
        track = rtc.LocalAudioTrack.create_audio_track("microphone", source)
        publish = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
        await room.local_participant.publish_track(track, publish)
        self.feeders.append(asyncio.ensure_future(self._feed(source)))

    @staticmethod
    async def _feed(source: rtc.AudioSource) -> None:
        frame = rtc.AudioFrame(TONE.tobytes(), RATE, 1, FRAME)
        while True:
            # Returns once the source's buffer has room: paced in real time by the SDK.
            await source.capture_frame(frame)

    def close(self) -> None:
        async def leave() -> None:
            for feeder in self.feeders:
                feeder.cancel()
            for room in self.rooms:
                await room.disconnect()

        asyncio.run_coroutine_threadsafe(leave(), self.loop).result(timeout=60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
