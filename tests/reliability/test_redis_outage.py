"""Redis stops and comes back under two app processes: no event stream is left deaf, sign-in
keeps working, and what changed meanwhile reaches every client once it is back.

Events between processes travel through Redis, so while it is away they are lost: a stream that
was open then must not carry on as if it had heard everything. Each one is ended (the client
reconnects and takes a fresh snapshot) or, at the least, hears what happens after Redis returns.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import aiohttp
import pytest

from harness.servers import RedisServer

from .live import PASSWORD, Cluster, Persona, Socket, call, deployment, http_session, open_socket

pytestmark = pytest.mark.slow

# Each process notices the lost subscription at once; reconnecting clients back off up to 5 s.
BACK_WITHIN = 20


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with deployment("sqlite") as running:
        yield running


def _redis(cluster: Cluster) -> RedisServer:
    assert cluster.redis is not None
    return cluster.redis


def _kill(redis: RedisServer) -> None:
    # As the issue saw it: SIGKILL, no goodbye to any client.
    redis.process.kill()
    redis.process.wait(timeout=10)


class Stream:
    """A 1.x event stream (SSE), read message by message."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self.response = response
        self.events: list[bytes] = []
        self.ended = False

    async def pump(self, wait: float) -> None:
        """Reads messages for up to `wait` seconds, or until the server ends the stream."""
        deadline = time.monotonic() + wait
        while not self.ended and (left := deadline - time.monotonic()) > 0:
            try:
                message = await asyncio.wait_for(self.response.content.readuntil(b"\n\n"), left)
            except TimeoutError:
                return
            except (aiohttp.ClientPayloadError, asyncio.IncompleteReadError, ValueError):
                self.ended = True
                return
            if not message:
                self.ended = True
            elif message.startswith(b"event:"):
                self.events.append(message)


async def _stream(http: aiohttp.ClientSession, cluster: Cluster, who: Persona, server: int):
    response = await http.get(f"{cluster.url(server)}/api/events?token={who.token}")
    assert response.status == 200
    assert await response.content.readexactly(5) == b":ok\n\n"
    return Stream(response)


async def _socket_closed_or_heard(socket: Socket, joiner: Persona, wait: float) -> str:
    """ "closed" if the server ended the socket, "heard" if it got the join, else "deaf"."""
    deadline = time.monotonic() + wait
    while (left := deadline - time.monotonic()) > 0:
        if socket.ws.closed:
            return "closed"
        if [d for d in socket.named("user:room_join") if d["user"] == joiner.ref]:
            return "heard"
        await socket._pump(min(left, 0.2))
    return "closed" if socket.ws.closed else "deaf"


async def _stream_ended_or_heard(stream: Stream, joiner: Persona, wait: float) -> str:
    deadline = time.monotonic() + wait
    while (left := deadline - time.monotonic()) > 0:
        if stream.ended:
            return "closed"
        if any(f'"id":{joiner.id},'.encode() in e for e in stream.events):
            return "heard"
        await stream.pump(min(left, 0.2))
    return "closed" if stream.ended else "deaf"


async def _join_somewhere(http, cluster: Cluster, who: Persona, name: str) -> int:
    status, body = await call(http, cluster, "POST", "/api/rooms", who, {"name": name})
    assert status == 201, body
    room = int(body["room"]["id"])
    status, body = await call(http, cluster, "POST", f"/api/rooms/{room}/join", who, server=1)
    assert status == 200, body
    return room


async def test_streams_opened_before_a_redis_restart_are_not_left_deaf(cluster):
    ws_a, ws_b, sse_a, sse_b, joiner = cluster.take(5)
    redis = _redis(cluster)
    async with http_session() as http:
        sockets = [
            await open_socket(http, cluster, ws_a, server=0),
            await open_socket(http, cluster, ws_b, server=1),
        ]
        streams = [
            await _stream(http, cluster, sse_a, server=0),
            await _stream(http, cluster, sse_b, server=1),
        ]
        for socket in sockets:
            await socket.drain(0.3)

        _kill(redis)
        await asyncio.sleep(1.0)
        redis.start()
        await asyncio.sleep(2.0)  # Redis is back; a join then must not go unheard
        await _join_somewhere(http, cluster, joiner, "After the outage")

        fates = [await _socket_closed_or_heard(s, joiner, BACK_WITHIN) for s in sockets]
        fates += [await _stream_ended_or_heard(s, joiner, 5) for s in streams]
        # A fresh socket, once events flow again, hears the next join.
        fresh = await _reopened(http, cluster, ws_a)
        second = cluster.take(1)[0]
        await _join_somewhere(http, cluster, second, "Second after the outage")
        heard_second = await fresh.wait_for("user:room_join", wait=10, user=second.ref)
        for socket in [*sockets, fresh]:
            await socket.close()
        for stream in streams:
            stream.response.close()

    assert "deaf" not in fates, (fates, cluster.logs()[-3000:])
    assert heard_second


async def _reopened(http, cluster: Cluster, who: Persona) -> Socket:
    """A new socket, retried while the server asks to come back later (Redis not yet there)."""
    deadline = time.monotonic() + BACK_WITHIN
    while True:
        try:
            return await open_socket(http, cluster, who, server=0)
        except (AssertionError, aiohttp.ClientError):
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


async def test_while_redis_is_down_sign_in_works_and_a_join_reaches_clients_once_it_is_back(
    cluster,
):
    watcher, joiner = cluster.take(2)
    redis = _redis(cluster)
    async with http_session() as http:
        status, body = await call(http, cluster, "POST", "/api/rooms", joiner, {"name": "Outage"})
        assert status == 201, body
        room = int(body["room"]["id"])
        socket = await open_socket(http, cluster, watcher, server=0)
        await socket.drain(0.3)

        _kill(redis)
        try:
            login = await call(
                http,
                cluster,
                "POST",
                "/api/auth/login",
                body={"username": cluster.login.username, "password": PASSWORD},
                headers=cluster.address(),
            )
            joined = await call(http, cluster, "POST", f"/api/rooms/{room}/join", joiner, server=1)
            # The socket of a process whose subscription broke is ended, so its client
            # reconnects and takes a fresh snapshot.
            fate = await _socket_closed_or_heard(socket, joiner, 10)
        finally:
            redis.start()
        resynced = await _reopened(http, cluster, watcher)
        await resynced.close()
        await socket.close()

    assert login[0] == 200, login
    assert joined[0] == 200, joined
    assert fate == "closed"
    assert joiner.ref in resynced.hello["members"].get(str(room), []), resynced.hello["members"]
