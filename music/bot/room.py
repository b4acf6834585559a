"""One room's DJ: joins its LiveKit room encrypted (or not at all), plays what the room's
player row says, follows changes to it, and reconnects with back-off when the SFU drops it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from music.services.playback import Assignment

from .decoder import Decoder
from .rtc import CannotEncrypt, Speaker

logger = logging.getLogger("music.dj")

RADIO_RESTART_SECONDS = 3.0


def backoff(failures: int) -> float:
    """2.x's reconnect pace: min(2n, 10) s for five tries, then 15 s for good."""
    return float(min(2 * failures, 10)) if failures <= 5 else 15.0


@dataclass(frozen=True, slots=True)
class Hooks:
    """What a room's bot needs from outside: its join credentials, where its sources are, and
    the services it reports to (run in a thread: they write to the database)."""

    credentials: Callable[[str], tuple[str, str, str]]  # room name -> (url, token, key)
    source_path: Callable[[Assignment], str]
    track_finished: Callable[[int, int], Awaitable[None]]  # room id, track
    report_error: Callable[[int, str], Awaitable[None]]  # room id, "" when fine again


class RoomBot:
    """Keeps `__music-bot__` in one LiveKit room and plays its player's current source."""

    def __init__(self, assignment: Assignment, hooks: Hooks) -> None:
        self.wanted = assignment
        self.hooks = hooks
        self.changed = asyncio.Event()
        self.stopping = False
        self.speaker: Speaker | None = None

    def update(self, assignment: Assignment) -> None:
        """The player row as just read; wakes the player if what it should do moved."""
        if assignment != self.wanted:
            self.wanted = assignment
            self.changed.set()

    def stop(self) -> None:
        self.stopping = True
        self.changed.set()
        if self.speaker is not None:
            self.speaker.gone.set()

    def _stopped(self) -> bool:
        return self.stopping

    async def run(self) -> None:
        """Joins, plays until dropped, and joins again after a back-off, until stopped."""
        failures = 0
        while not self.stopping:
            speaker = self.speaker = Speaker()
            try:
                await self._join(speaker)
                failures = 0
                await self._play(speaker)
            except CannotEncrypt as exc:
                message = f"DJ Tokoloshe will not play unencrypted: {exc}"
                logger.error("%s (room %s)", message, self.wanted.room_name)
                await self.hooks.report_error(self.wanted.room_id, message)
            except Exception:
                logger.exception("DJ in room %s failed", self.wanted.room_name)
            finally:
                await speaker.leave()
            if self._stopped():
                return
            failures += 1
            await self._sleep(backoff(failures))

    async def _join(self, speaker: Speaker) -> None:
        url, token, key = self.hooks.credentials(self.wanted.room_name)
        await speaker.join(url=url, token=token, key=key)
        logger.info("DJ joined %s", self.wanted.room_name)
        await self.hooks.report_error(self.wanted.room_id, "")

    async def _play(self, speaker: Speaker) -> None:
        while not speaker.gone.is_set() and not self.stopping:
            wanted = self.wanted
            self.changed.clear()
            if wanted.paused or not (wanted.source or wanted.upload):
                await self._wait_change(speaker)
                continue
            decoder = Decoder(self.hooks.source_path(wanted))
            await decoder.start()
            try:
                ended = await self._stream(speaker, decoder, wanted)
            finally:
                await decoder.stop()
            if ended:
                await self._ended(wanted, decoder)

    async def _stream(self, speaker: Speaker, decoder: Decoder, wanted: Assignment) -> bool:
        """Plays until the source ends (True) or the player moves on (False)."""
        while not speaker.gone.is_set() and not self.stopping:
            now = self.wanted
            if (now.track, now.source, now.upload) != (wanted.track, wanted.source, wanted.upload):
                speaker.flush()
                return False
            if now.paused:
                speaker.flush()
                decoder.pause(True)
                # Cleared first, or the change that paused it would wake it at once, forever.
                self.changed.clear()
                if self.wanted.paused:
                    await self._wait_change(speaker)
                decoder.pause(False)
                continue
            frame = await decoder.frame()
            if frame is None:
                return True
            await speaker.play(frame)
        return False

    async def _ended(self, wanted: Assignment, decoder: Decoder) -> None:
        error = decoder.error()
        if error:
            logger.warning("ffmpeg on %s: %s", wanted.source or wanted.upload, error)
        if wanted.mode == "queue":
            await self.hooks.track_finished(wanted.room_id, wanted.track)
            await self._sleep(1.0)
        else:
            await self._sleep(RADIO_RESTART_SECONDS)

    async def _wait_change(self, speaker: Speaker) -> None:
        waiters = [
            asyncio.ensure_future(self.changed.wait()),
            asyncio.ensure_future(speaker.gone.wait()),
        ]
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    async def _sleep(self, seconds: float) -> None:
        """Sleeps, cut short by a change of the player or a stop."""
        self.changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.changed.wait(), timeout=seconds)
