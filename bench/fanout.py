"""One `user:room_join` delivered to N connected event clients, and server memory per client.

The trigger user joins the "Stage" room again and again (1.x sends `user:room_join` to everyone
even for a rejoin); each of N WebSocket clients, all distinct users, timestamps the frame. The
latency of one delivery is from writing the join request to that client's receipt. Clients are
added level by level (e.g. 50, 200, 500, 5000) and the app processes' resident memory is read
after each level is connected, before any event is sent.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from .stack import Stack
from .stats import Latency
from .workloads import (
    AnyListener,
    Arrivals,
    Retries,
    auth_headers,
    bounded,
    close_all,
    http_session,
    open_listener,
    ws_session,
)

EVENT = "user:room_join"
SETTLE_SECONDS = 1.0
DELIVERY_TIMEOUT = 30.0


@dataclass(frozen=True)
class Level:
    """The figures at one number of connected clients: delivery latency, events lost, how long
    connecting this level's new clients took and the servers' CPU per new client, resident
    memory once connected, and the servers' CPU per event delivered to all of them. The client's
    own CPU per event is beside it: the clients timestamp a frame when this process gets to it,
    so where reading N frames costs the client more than the latency asked for, the latency
    measures the client."""

    clients: int
    latency: Latency
    lost: int
    connect_seconds: float
    connect_retries: int
    rss_kib: int
    connect_cpu_ms_per_client: float = float("nan")
    cpu_ms_per_event: float = float("nan")
    client_cpu_ms_per_event: float = float("nan")


@dataclass(frozen=True)
class Fanout:
    levels: list[Level]

    @property
    def memory_per_client_kib(self) -> float:
        """Resident memory added per client between the smallest and the largest level."""
        return self.memory_per_client_kib_upto(self.levels[-1].clients)

    def memory_per_client_kib_upto(self, clients: int) -> float:
        """The same between the smallest level and the largest one of at most `clients` (not a
        number when fewer than two levels are that small, as in a run of N=5000 alone)."""
        within = [level for level in self.levels if level.clients <= clients]
        if len(within) < 2:
            return float("nan")
        first, last = within[0], within[-1]
        return (last.rss_kib - first.rss_kib) / (last.clients - first.clients)

    def connect_seconds_upto(self, clients: int) -> float:
        """Time spent connecting every client up to the level of `clients`, from none."""
        return sum(level.connect_seconds for level in self.levels if level.clients <= clients)

    def level(self, clients: int) -> Level | None:
        return next((level for level in self.levels if level.clients == clients), None)


async def _deliver_once(
    post: Callable[[], Awaitable[None]], listeners: list[AnyListener], arrivals: Arrivals
) -> tuple[list[float], int]:
    for listener in listeners:
        listener.seen[EVENT].clear()
    arrivals.reset(len(listeners))
    sent = time.perf_counter()
    request = asyncio.ensure_future(post())
    await arrivals.wait(DELIVERY_TIMEOUT)
    await request
    latencies = [x.seen[EVENT][0][0] - sent for x in listeners if x.seen[EVENT]]
    return latencies, len(listeners) - len(latencies)


async def fanout(
    stack: Stack, *, levels: list[int], iterations: int, seconds: float, parallel: int = 16
) -> Fanout:
    """Connects clients up to each level in turn and measures `iterations` deliveries there
    (fewer if `seconds` run out first)."""
    arrivals = Arrivals()
    watch = {EVENT: arrivals}
    seeded = stack.seed["listeners"]
    url = f"{stack.server(0).url}/api/rooms/{stack.seed['rooms']['stage']}/join"
    headers = auth_headers(stack.seed["trigger"]["token"])
    results: list[Level] = []
    async with ws_session() as sockets, http_session(limit=1) as http:

        async def post() -> None:
            async with http.post(url, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"trigger join gave {response.status}")

        for _ in range(20):
            await post()
        listeners: list[AnyListener] = []
        for level in levels:
            if stack.max_clients is not None and level > stack.max_clients:
                break
            batch = seeded[len(listeners) : level]
            stack.mark_online([user["id"] for user in batch])
            cpu = stack.cpu_seconds()
            started = time.perf_counter()
            calls = [
                partial(
                    open_listener,
                    sockets,
                    stack.server(len(listeners) + i),
                    stack.events,
                    user["token"],
                    watch,
                )
                for i, user in enumerate(batch)
            ]
            retries = Retries()
            listeners += await bounded(calls, parallel, retries)
            connect_seconds = time.perf_counter() - started
            connect_cpu = (stack.cpu_seconds() - cpu) * 1000 / len(batch)
            await asyncio.sleep(SETTLE_SECONDS)
            rss = stack.rss_kib()
            samples: list[float] = []
            lost = rounds = 0
            until = time.monotonic() + seconds
            cpu, client_cpu = stack.cpu_seconds(), time.process_time()
            for _ in range(iterations):
                got, missing = await _deliver_once(post, listeners, arrivals)
                samples += got
                lost += missing
                rounds += 1
                await asyncio.sleep(0.02)
                if time.monotonic() > until:
                    break
            cpu_per_event = (stack.cpu_seconds() - cpu) * 1000 / rounds
            client_cpu_per_event = (time.process_time() - client_cpu) * 1000 / rounds
            results.append(
                Level(
                    level,
                    Latency.of(samples),
                    lost,
                    connect_seconds,
                    retries.count,
                    rss,
                    connect_cpu,
                    cpu_per_event,
                    client_cpu_per_event,
                )
            )
        await close_all(listeners)
    return Fanout(results)
