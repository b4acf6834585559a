"""The DJ of `run_dj` (or of the app process, with MUSIC_IN_PROCESS): a RoomBot in every room
whose music is on while someone is in it.

It reads the players from the database every MUSIC_POLL_SECONDS (one query) and reports back
through music's services, which publish `music:status` like any web process: no port of its
own, no key shared with the web processes, nothing it knows that a restart would lose."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.files.storage import storages
from django.db import close_old_connections

from music.services.control import UPLOADS
from music.services.pipe import pipe_reclaim
from music.services.playback import (
    Assignment,
    music_assignments,
    music_bot_error,
    music_track_finished,
)
from sfu import livekit

from .room import Hooks, RoomBot

logger = logging.getLogger("music.dj")

IDENTITY = "__music-bot__"
DISPLAY_NAME = "DJ Tokoloshe"
# A room that emptied keeps its bot a moment, so someone reloading the page finds it there.
LINGER_SECONDS = 10.0
RECLAIM_EVERY = 20  # polls
_P = ParamSpec("_P")
_T = TypeVar("_T")


def credentials(room_name: str) -> tuple[str, str, str]:
    """The bot's LiveKit URL, a token minted by our own token code, and the room's E2EE key."""
    token = livekit.participant_token(
        identity=IDENTITY, name=DISPLAY_NAME, room_name=room_name, can_subscribe=False
    )
    return settings.LIVEKIT_URL, token, livekit.e2ee_key(room_name)


def source_path(assignment: Assignment) -> str:
    """A URL or path ffmpeg opens: an upload's file, else the entry's or station's own."""
    if assignment.upload:
        return str(storages[UPLOADS].path(assignment.upload))
    return assignment.source


def _in_thread(function: Callable[_P, _T]) -> Callable[_P, Awaitable[_T]]:
    # Django's database work, off the event loop, on one thread that drops dead connections
    # (the bot runs for weeks; the database may restart under it).
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        close_old_connections()
        try:
            return function(*args, **kwargs)
        finally:
            close_old_connections()

    return sync_to_async(run, thread_sensitive=True)


async def _track_finished(room_id: int, track: int) -> None:
    await _in_thread(music_track_finished)(room_id=room_id, track=track)


async def _report_error(room_id: int, error: str) -> None:
    await _in_thread(music_bot_error)(room_id=room_id, error=error)


HOOKS = Hooks(
    credentials=credentials,
    source_path=source_path,
    track_finished=_track_finished,
    report_error=_report_error,
)


def _heartbeat() -> None:
    if settings.MUSIC_HEARTBEAT_FILE:
        Path(settings.MUSIC_HEARTBEAT_FILE).touch()


class DJ:
    """Every room's bot, started and stopped as the players say."""

    def __init__(self, hooks: Hooks = HOOKS) -> None:
        self.hooks = hooks
        self.bots: dict[int, tuple[RoomBot, asyncio.Task[None]]] = {}
        self.absent_since: dict[int, float] = {}
        self.stopping = asyncio.Event()

    async def run(self) -> None:
        """Polls the players until `stop()`, then takes every bot out of its room."""
        polls = 0
        while not self.stopping.is_set():
            try:
                # A pipe whose process died gives its room back to the DJ.
                if polls % RECLAIM_EVERY == 0:
                    await _in_thread(pipe_reclaim)()
                polls += 1
                self.apply(await _in_thread(music_assignments)())
                _heartbeat()
            except Exception:
                logger.exception("reading the players failed; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), timeout=settings.MUSIC_POLL_SECONDS)
        await self.close()

    def stop(self) -> None:
        self.stopping.set()

    def apply(self, assignments: list[Assignment]) -> None:
        """Starts a bot for each new room, updates the others, ends those gone a while."""
        now = time.monotonic()
        seen = set()
        for assignment in assignments:
            seen.add(assignment.room_id)
            self.absent_since.pop(assignment.room_id, None)
            if assignment.room_id in self.bots:
                self.bots[assignment.room_id][0].update(assignment)
            else:
                bot = RoomBot(assignment, self.hooks)
                self.bots[assignment.room_id] = (bot, asyncio.create_task(bot.run()))
        for room_id in list(self.bots):
            if room_id in seen:
                continue
            since = self.absent_since.setdefault(room_id, now)
            if now - since >= LINGER_SECONDS or self.bots[room_id][1].done():
                self._end(room_id)

    def _end(self, room_id: int) -> None:
        bot, _ = self.bots.pop(room_id)
        self.absent_since.pop(room_id, None)
        bot.stop()

    async def close(self) -> None:
        tasks = [task for _, task in self.bots.values()]
        for room_id in list(self.bots):
            self._end(room_id)
        await asyncio.gather(*tasks, return_exceptions=True)


_in_process: tuple[DJ, asyncio.Task[None]] | None = None


def start_in_process() -> None:
    """Runs the DJ on the app server's event loop (MUSIC_IN_PROCESS), once per process."""
    global _in_process
    if _in_process is None:
        dj = DJ()
        _in_process = (dj, asyncio.get_running_loop().create_task(dj.run()))


async def stop_in_process() -> None:
    """Takes the in-process DJ out of every room before the server exits."""
    global _in_process
    if _in_process is not None:
        dj, task = _in_process
        _in_process = None
        dj.stop()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, timeout=10)
