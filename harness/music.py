"""DJ Tokoloshe under test: `run_dj` as its own process, tones made with ffmpeg, and an
encrypted listener on LiveKit's Python SDK that tells which pitch each participant plays."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import signal
import subprocess
import threading
import time
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from livekit import api, rtc

from .servers import command_process


def tone_file(path: Path, *, hertz: int, seconds: float) -> Path:
    """A stereo sine of `hertz` as a FLAC file, made by ffmpeg."""
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", f"sine=frequency={hertz}:duration={seconds}:sample_rate=48000",
         "-ac", "2", str(path)],
        check=True,
        timeout=60,
    )  # fmt: skip
    return path


def room_key(env: Mapping[str, str], room_name: str) -> str:
    """The room's E2EE key as clients are given it."""
    mac = hmac.new(env["E2EE_SECRET"].encode(), room_name.encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode("ascii")


def dj_process(
    env: Mapping[str, str], *, log_path: Path
) -> contextlib.AbstractContextManager[subprocess.Popen[bytes]]:
    """`manage.py run_dj`, waited for until it says it listens; stopped (SIGTERM) afterwards."""
    return command_process(
        "run_dj", env, log_path=log_path, ready=b"DJ Tokoloshe is listening", stop=signal.SIGTERM
    )


class Listener:
    """An encrypted participant that subscribes to everything and keeps, per identity, the
    last second of what it heard; its own event loop runs on a thread."""

    def __init__(self, *, url: str, env: Mapping[str, str], room_name: str, identity: str) -> None:
        self.url = url.replace("http", "ws", 1)
        self.env = env
        self.room_name = room_name
        self.identity = identity
        self.heard: dict[str, np.ndarray] = {}
        self.heard_at: dict[str, float] = {}
        self.ears: list[asyncio.Future[None]] = []
        self.decrypt_failures = 0
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.room: rtc.Room | None = None

    def __enter__(self) -> Listener:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._join(), self.loop).result(timeout=30)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._leave(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    async def _join(self) -> None:
        token = (
            api.AccessToken(self.env["LIVEKIT_API_KEY"], self.env["LIVEKIT_API_SECRET"])
            .with_identity(self.identity)
            .with_grants(api.VideoGrants(room_join=True, room=self.room_name))
            .to_jwt()
        )
        key = room_key(self.env, self.room_name).encode("ascii")
        options = rtc.RoomOptions(
            encryption=rtc.E2EEOptions(key_provider_options=rtc.KeyProviderOptions(shared_key=key))
        )
        self.room = rtc.Room()
        self.room.on("track_subscribed", self._subscribed)
        self.room.on("e2ee_state_changed", self._state)
        await self.room.connect(self.url, token, options)

    def _state(self, participant: rtc.Participant, state: rtc.EncryptionState.ValueType) -> None:
        if state in (rtc.EncryptionState.DECRYPTION_FAILED, rtc.EncryptionState.MISSING_KEY):
            self.decrypt_failures += 1

    def _subscribed(
        self, track: rtc.Track, publication: rtc.RemoteTrackPublication, who: rtc.RemoteParticipant
    ) -> None:
        if track.kind == rtc.TrackKind.KIND_AUDIO:
            self.ears.append(asyncio.ensure_future(self._listen(track, who.identity)))

    async def _listen(self, track: rtc.Track, identity: str) -> None:
        stream = rtc.AudioStream(track, sample_rate=48000, num_channels=1)
        async for event in stream:
            samples = np.frombuffer(event.frame.data, dtype=np.int16).astype(np.float32) / 32768
            kept = np.concatenate([self.heard.get(identity, np.zeros(0)), samples])
            self.heard[identity] = kept[-48000:]
            # A dropped participant's stream goes on as silence until the SFU gives up on it.
            if np.max(np.abs(samples), initial=0.0) > 0.01:
                self.heard_at[identity] = time.monotonic()

    async def _leave(self) -> None:
        if self.room is not None:
            await self.room.disconnect()
        await asyncio.sleep(0.5)

    def pitch(self, identity: str) -> tuple[float, float]:
        """(loudest sample, strongest frequency in Hz) of the last second from `identity`."""
        samples = self.heard.get(identity)
        # Nothing audible in the last half second is silence, whatever came before.
        if time.monotonic() - self.heard_at.get(identity, 0.0) > 0.5:
            return 0.0, 0.0
        if samples is None or len(samples) < 4800:
            return 0.0, 0.0
        spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
        hertz = float(np.fft.rfftfreq(len(samples), 1 / 48000)[int(np.argmax(spectrum))])
        return float(np.max(np.abs(samples))), hertz

    def identities(self) -> list[str]:
        """Who was audible in the last half second."""
        now = time.monotonic()
        return sorted(who for who, at in self.heard_at.items() if now - at <= 0.5)
