"""The measured workloads, driven by one asyncio client (aiohttp) in the harness's own process.

Every workload is bounded by a sample count and a time limit. Latencies are taken with
`time.perf_counter` in this process: from just before a request is written to the moment the
reply, or the event frame on each WebSocket, is read.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from .stack import Events, Server, Stack
from .stats import Latency

WS_PATH = "/ws/events"
SSE_PATH = "/api/events"


def auth_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def http_session(limit: int) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=limit), timeout=aiohttp.ClientTimeout(total=60)
    )


async def expect_json(response: aiohttp.ClientResponse, status: int) -> dict[str, Any]:
    body: dict[str, Any] = await response.json()
    if response.status != status:
        raise RuntimeError(f"{response.method} {response.url} gave {response.status}: {body}")
    return body


# --- POST /api/rooms/{id}/join over keep-alive connections ---------------------------------------


@dataclass(frozen=True)
class Throughput:
    """Requests per second, the latency of each request and the servers' CPU per request, over
    `concurrency` clients."""

    concurrency: int
    requests_per_s: float
    latency: Latency
    cpu_ms_per_request: float


async def _join_worker(
    base: str, token: str, room: int, *, warmup: int, count: int, until: float
) -> list[float]:
    url = f"{base}/api/rooms/{room}/join"
    latencies: list[float] = []
    # One connection per client, kept alive between requests, as a browser or the desktop app.
    async with http_session(limit=1) as http:
        for index in range(warmup + count):
            if index >= warmup and time.monotonic() > until:
                break
            started = time.perf_counter()
            async with http.post(url, headers=auth_headers(token)) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"join gave {response.status}")
            if index >= warmup:
                latencies.append(time.perf_counter() - started)
    return latencies


async def join_throughput(
    stack: Stack, *, concurrency: int, count: int, seconds: float, warmup: int = 200
) -> Throughput:
    """`concurrency` users (distinct) each join the same room back to back; each stops after
    `count` measured requests or when `seconds` are up."""
    room = stack.seed["rooms"]["bench"]
    joiners = stack.seed["joiners"][:concurrency]
    # Warm-up first (imports, caches, connections), then the measured run from a common start.
    await asyncio.gather(
        *(
            _join_worker(stack.server(i).url, u["token"], room, warmup=warmup, count=0, until=0)
            for i, u in enumerate(joiners)
        )
    )
    cpu = stack.cpu_seconds()
    started = time.perf_counter()
    until = time.monotonic() + seconds
    per_worker = await asyncio.gather(
        *(
            _join_worker(stack.server(i).url, u["token"], room, warmup=0, count=count, until=until)
            for i, u in enumerate(joiners)
        )
    )
    elapsed = time.perf_counter() - started
    cpu_ms = (stack.cpu_seconds() - cpu) * 1000
    latencies = [x for worker in per_worker for x in worker]
    count = len(latencies)
    return Throughput(concurrency, count / elapsed, Latency.of(latencies), cpu_ms / count)


# --- WebSocket event clients ---------------------------------------------------------------------


@dataclass
class Arrivals:
    """Counts frames of one kind arriving on many sockets; `wait` returns once `expected` have."""

    expected: int = 0
    count: int = 0
    _done: asyncio.Event = field(default_factory=asyncio.Event)

    def reset(self, expected: int) -> None:
        self.expected, self.count = expected, 0
        self._done.clear()

    def hit(self) -> None:
        self.count += 1
        if self.count >= self.expected:
            self._done.set()

    async def wait(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._done.wait(), seconds)
        except TimeoutError:
            return False
        return True


class Listener:
    """One event WebSocket. Frames whose type is in `watch` are timestamped on arrival."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, watch: dict[str, Arrivals]) -> None:
        self.ws = ws
        # The server writes `{"type":"<name>",...`; matching the prefix avoids parsing the JSON.
        self._watch = [(f'{{"type":"{name}"', name, arrivals) for name, arrivals in watch.items()]
        self.seen: dict[str, list[tuple[float, str]]] = {name: [] for name in watch}
        self._task = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        while True:
            message = await self.ws.receive()
            if message.type != aiohttp.WSMsgType.TEXT:
                return
            data: str = message.data
            for prefix, name, arrivals in self._watch:
                if data.startswith(prefix):
                    self.seen[name].append((time.perf_counter(), data))
                    arrivals.hit()
                    break

    async def close(self) -> None:
        self._task.cancel()
        await self.ws.close()


class StreamListener:
    """One 1.x event stream (Server-Sent Events, `GET /api/events`). An event whose name is in
    `watch` is timestamped when its `event:` line arrives and kept in the WebSocket's framing,
    `{"type": name, "data": ...}`, so the workloads read both alike."""

    def __init__(self, response: aiohttp.ClientResponse, watch: dict[str, Arrivals]) -> None:
        self.response = response
        self._watch = watch
        self.seen: dict[str, list[tuple[float, str]]] = {name: [] for name in watch}
        self._task = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        name, arrived = "", 0.0
        async for raw in self.response.content:
            line = raw.decode()
            if line.startswith("event: "):
                name, arrived = line[7:].strip(), time.perf_counter()
            elif line.startswith("data: ") and name in self._watch:
                frame = f'{{"type":"{name}","data":{line[6:].strip()}}}'
                self.seen[name].append((arrived, frame))
                self._watch[name].hit()
                name = ""

    async def close(self) -> None:
        self._task.cancel()
        self.response.close()


AnyListener = Listener | StreamListener


async def close_all(listeners: Sequence[AnyListener]) -> None:
    """Closes the sockets (a few seconds at most: the servers are stopped right after)."""
    try:
        async with asyncio.timeout(30):
            await asyncio.gather(*(listener.close() for listener in listeners))
    except TimeoutError:
        pass


async def open_listener(
    http: aiohttp.ClientSession,
    server: Server,
    events: Events,
    token: str,
    watch: dict[str, Arrivals],
) -> AnyListener:
    """Opens the event stream `events` of `server` for the holder of `token`."""
    if events == "sse":
        return await open_stream(http, server.url, token, watch)
    return await open_socket(http, server.ws_url, token, watch)


async def open_stream(
    http: aiohttp.ClientSession, base: str, token: str, watch: dict[str, Arrivals]
) -> StreamListener:
    """Opens /api/events with a bearer token and reads the `:ok` comment first, so every later
    event is one the workload caused. A refusal (429 past the cap) raises a ClientError, so
    `bounded` tries again."""
    # A stream stays open for the whole workload: no total timeout, only one for the handshake.
    timeout = aiohttp.ClientTimeout(total=None, connect=60, sock_read=None)
    response = await http.get(f"{base}{SSE_PATH}", headers=auth_headers(token), timeout=timeout)
    if response.status != 200:
        body = await response.text()
        response.close()
        raise aiohttp.ClientResponseError(
            response.request_info, (), status=response.status, message=body[:200]
        )
    first = await asyncio.wait_for(response.content.readline(), 60)
    if first != b":ok\n":
        response.close()
        raise RuntimeError(f"expected :ok, got {first[:200]!r}")
    await response.content.readline()
    return StreamListener(response, watch)


async def open_socket(
    http: aiohttp.ClientSession, base_ws: str, token: str, watch: dict[str, Arrivals]
) -> Listener:
    """Opens /ws/events with a bearer token (a non-browser client, so no Origin) and reads the
    `hello` snapshot first, so every later frame is one the workload caused."""
    ws = await http.ws_connect(f"{base_ws}{WS_PATH}", headers=auth_headers(token), max_msg_size=0)
    hello = await ws.receive(timeout=60)
    if hello.type != aiohttp.WSMsgType.TEXT or not hello.data.startswith('{"type":"hello"'):
        raise RuntimeError(f"expected hello, got {hello.type} {str(hello.data)[:200]}")
    return Listener(ws, watch)


def ws_session() -> aiohttp.ClientSession:
    # No connector limit: every WebSocket holds its connection for as long as it is open.
    return http_session(limit=0)


Connect = Callable[[], Awaitable[AnyListener]]


@dataclass
class Retries:
    """Connection attempts that failed and were tried again, as a real client would."""

    count: int = 0


async def bounded(
    calls: Sequence[Connect], parallel: int, retries: Retries | None = None
) -> list[AnyListener]:
    """Runs the connection attempts with at most `parallel` handshakes in flight; a refused or
    timed-out handshake is retried (up to 5 times) after a short pause."""
    gate = asyncio.Semaphore(parallel)
    retries = retries or Retries()

    async def one(call: Connect) -> AnyListener:
        for attempt in range(5):
            async with gate:
                try:
                    return await call()
                except (aiohttp.ClientError, TimeoutError):
                    if attempt == 4:
                        raise
                    retries.count += 1
            await asyncio.sleep(0.5 * (attempt + 1))
        raise AssertionError("unreachable")

    return list(await asyncio.gather(*(one(call) for call in calls)))
