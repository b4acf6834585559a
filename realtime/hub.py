"""This process's live event sockets, and the hand-off of every published event to them.

An event is serialised once, and once per process into each transport's frame; then the frame
is written to every local socket of its audience, in publish order, by one delivery task per
event loop. No queue, task or channel per socket: one event to N sockets costs N writes.

Without Redis (one process), `dispatch` hands an event straight to this process's loops. With
REDIS_URL, `dispatch` publishes it once to one Redis channel, whatever its audience, and each
process holds one subscription that feeds its own sockets; every process sees events in the
same order. If that subscription breaks, events may have been missed, so every local socket is
closed to make its client reconnect and take a fresh snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections import deque
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

import redis
import redis.asyncio as aioredis
from django.conf import settings

logger = logging.getLogger(__name__)

# How long a new socket waits for this process's Redis subscription before it is refused.
SUBSCRIBE_TIMEOUT_SECONDS = 5.0
RESUBSCRIBE_BACKOFF_SECONDS = (0.2, 0.5, 1.0, 2.0, 5.0)


class RealtimeUnavailable(Exception):
    """Events cannot reach this process right now (its Redis subscription is down)."""


@dataclass(frozen=True, slots=True)
class Envelope:
    """A published event as it travels: its wire name, its payload JSON, and its audience
    (`to`: user ids, or None for everyone; `exclude`: a user left out of everyone). With
    `recheck`, it carries no event: the audience's sockets check their credentials again."""

    name: str
    data: str
    to: tuple[int, ...] | None = None
    exclude: int | None = None
    recheck: bool = False

    def encode(self) -> bytes:
        return json.dumps([self.name, self.data, self.to, self.exclude, self.recheck]).encode()

    @classmethod
    def decode(cls, raw: bytes) -> Envelope:
        name, data, to, exclude, recheck = json.loads(raw)
        return cls(name, data, None if to is None else tuple(to), exclude, recheck)


class Frames:
    """One event's frames, each built at most once per process, whatever the socket count."""

    def __init__(self, envelope: Envelope) -> None:
        self.envelope = envelope

    @cached_property
    def websocket(self) -> str:
        """`{"type": <event name>, "data": <payload>}`, the WebSocket text frame."""
        return f'{{"type":{json.dumps(self.envelope.name)},"data":{self.envelope.data}}}'

    @cached_property
    def sse(self) -> bytes:
        """The 1.x SSE message: `event:` line, one `data:` line, blank line."""
        return f"event: {self.envelope.name}\ndata: {self.envelope.data}\n\n".encode()


class Sink(Protocol):
    """One live socket, as the hub sees it: whose it is, and how to write a frame to it."""

    user_id: int

    async def deliver(self, frames: Frames) -> None: ...

    async def recheck(self) -> None: ...

    async def reconnect(self) -> None: ...


class LoopHub:
    """The sockets served on one event loop (the server has one; each test has its own)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.by_user: dict[int, set[Sink]] = {}
        self._queue: deque[Envelope] = deque()
        self._wake = asyncio.Event()
        self._worker: asyncio.Task[None] | None = None
        self._subscriber: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    async def attach(self, sink: Sink) -> None:
        """Adds a socket; from now on it receives every event published to it."""
        self.by_user.setdefault(sink.user_id, set()).add(sink)
        if self._worker is None:
            self._worker = self.loop.create_task(self._deliver_forever())
        if settings.REDIS_URL:
            if self._subscriber is None:
                self._subscriber = self.loop.create_task(self._subscribe_forever())
            try:
                await asyncio.wait_for(self._subscribed.wait(), SUBSCRIBE_TIMEOUT_SECONDS)
            except TimeoutError as exc:
                self.detach(sink)
                raise RealtimeUnavailable("events cannot reach this process") from exc

    def detach(self, sink: Sink) -> None:
        """Removes a socket; the loop's tasks stop with its last one."""
        sinks = self.by_user.get(sink.user_id)
        if sinks is not None:
            sinks.discard(sink)
            if not sinks:
                del self.by_user[sink.user_id]
        if not self.by_user:
            _forget(self)
            for task in (self._worker, self._subscriber):
                # The last socket may be leaving from inside one of them (a delivery that
                # closed it): that one stops at its next turn instead of mid-step.
                if task is not None and task is not asyncio.current_task():
                    task.cancel()
            self._worker = self._subscriber = None
            self._subscribed.clear()
            self._wake.set()

    def enqueue(self, envelope: Envelope) -> None:
        """Queues an event for delivery (called on this loop)."""
        if settings.REDIS_URL:
            _changed()
        self._queue.append(envelope)
        self._wake.set()

    async def _deliver_forever(self) -> None:
        while self._worker is asyncio.current_task():
            await self._wake.wait()
            self._wake.clear()
            while self._queue and self.by_user:
                await self._deliver(self._queue.popleft())

    async def _deliver(self, envelope: Envelope) -> None:
        frames = Frames(envelope)
        if envelope.to is None:
            targets = [
                sink
                for user_id, sinks in list(self.by_user.items())
                if user_id != envelope.exclude
                for sink in sinks
            ]
        else:
            targets = [sink for user_id in envelope.to for sink in self.by_user.get(user_id, ())]
        for sink in targets:
            try:
                await (sink.recheck() if envelope.recheck else sink.deliver(frames))
            except OSError:
                # The client went away mid-write; its disconnect takes the sink out of the hub.
                continue
            except Exception:
                # One broken socket must not keep an event from the others.
                logger.exception("Delivering %s failed", envelope.name)

    async def _subscribe_forever(self) -> None:
        attempt = 0
        while self._subscriber is asyncio.current_task():
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("Realtime subscription to Redis lost: %s", exc)
            if self._subscribed.is_set():
                # Events published meanwhile never arrived: make every client resync.
                self._subscribed.clear()
                attempt = 0
                await self._reconnect_all()
            await asyncio.sleep(RESUBSCRIBE_BACKOFF_SECONDS[min(attempt, 4)])
            attempt += 1

    async def _listen(self) -> None:
        client = aioredis.Redis.from_url(settings.REDIS_URL, health_check_interval=10)
        try:
            async with client.pubsub() as pubsub:
                await pubsub.subscribe(settings.REALTIME_REDIS_CHANNEL)
                # Whatever was published while this process was not listening is unknown here.
                _changed()
                self._subscribed.set()
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        self.enqueue(Envelope.decode(message["data"]))
        finally:
            await client.aclose()

    async def _reconnect_all(self) -> None:
        for sinks in list(self.by_user.values()):
            for sink in list(sinks):
                with contextlib.suppress(Exception):
                    await sink.reconnect()


_hubs: dict[asyncio.AbstractEventLoop, LoopHub] = {}
_hubs_lock = threading.Lock()
_generation = 0


def generation() -> int:
    """A number that changes whenever this process may have missed or received an event:
    what was read from the database before it changed may be stale (see presence.selectors)."""
    return _generation


def _changed() -> None:
    global _generation
    with _hubs_lock:
        _generation += 1


_publishers: dict[str, redis.Redis] = {}


def hub() -> LoopHub:
    """The hub of the running event loop, created on first use."""
    loop = asyncio.get_running_loop()
    with _hubs_lock:
        found = _hubs.get(loop)
        if found is None:
            found = _hubs[loop] = LoopHub(loop)
        return found


def _forget(loop_hub: LoopHub) -> None:
    with _hubs_lock:
        if _hubs.get(loop_hub.loop) is loop_hub:
            del _hubs[loop_hub.loop]


def dispatch(envelope: Envelope) -> None:
    """Sends a published event to every process's sockets (from any thread)."""
    if settings.REDIS_URL:
        _redis().publish(settings.REALTIME_REDIS_CHANNEL, envelope.encode())
        return
    _changed()
    with _hubs_lock:
        targets = list(_hubs.values())
    for loop_hub in targets:
        try:
            loop_hub.loop.call_soon_threadsafe(loop_hub.enqueue, envelope)
        except RuntimeError:
            # That loop has closed without detaching its sockets (a test's loop).
            _forget(loop_hub)


def _redis() -> redis.Redis:
    url: str = settings.REDIS_URL
    client = _publishers.get(url)
    if client is None:
        # Short timeouts: a publish runs after commit, inside the request that made the event,
        # and a Redis that stopped answering must not hold that request.
        client = _publishers[url] = redis.Redis.from_url(
            url, socket_timeout=2, socket_connect_timeout=2
        )
    return client
