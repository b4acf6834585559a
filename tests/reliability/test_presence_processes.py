"""Presence as users run it: app server processes sharing one redis-server and one database.

The 1.x stream's exact framing and refusals over real HTTP, cross-process delivery, the grace
period, caps across transports and processes, a SIGKILLed process converging, and tokens kept
out of the access log. Timings are shortened through the servers' environment.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from harness.fake_livekit import sign_webhook, webhook_body
from harness.servers import TEST_SECRETS, AppServer, app_servers, manage, redis_server

pytestmark = pytest.mark.slow

FAST = {
    "PRESENCE_GRACE_SECONDS": "1",
    # The seeded members have no connection until a test opens one: they keep their room.
    "PRESENCE_UNCONNECTED_MEMBER_SECONDS": "600",
    "PRESENCE_HEARTBEAT_SECONDS": "1",
    "PRESENCE_REAP_AFTER_SECONDS": "3",
    "SSE_PING_SECONDS": "1",
    "SCHEDULER_TICK_SECONDS": "0.1",
}
USERS = ("watcher", "alice", "bob", "mallory", "capper", "lingerer", "leaver", "streamer")

SEED = """
import json
from accounts.models import User
from accounts.tokens import token_mint
from rooms.services.membership import membership_enter
from rooms.models import Room
lobby = Room.objects.create(name="Lobby")
out = {"lobby": lobby.pk, "users": {}}
for name in %r:
    user = User.objects.create_user(name, "a long enough password", display_name=name.title())
    out["users"][name] = {"id": user.pk, "token": token_mint(user=user)}
for name in ("mallory", "lingerer", "leaver", "alice"):
    membership_enter(user=User.objects.get(username=name), room=lobby)
print(json.dumps(out))
"""


@dataclass
class Cluster:
    a: AppServer
    b: AppServer
    # Only the SIGKILL test uses (and kills) this one.
    doomed: AppServer
    lobby: int
    users: dict[str, dict[str, Any]]

    def token(self, name: str) -> str:
        return str(self.users[name]["token"])

    def ref(self, name: str) -> dict[str, Any]:
        return {"id": self.users[name]["id"], "username": name, "display_name": name.title()}


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with (
        redis_server() as redis,
        app_servers(3, extra_env={"REDIS_URL": redis.url, **FAST}) as (a, b, doomed),
    ):
        seeded = json.loads(manage("shell", "-c", SEED % (USERS,), env=a.env).splitlines()[-1])
        yield Cluster(a=a, b=b, doomed=doomed, lobby=seeded["lobby"], users=seeded["users"])


# --- Clients -------------------------------------------------------------------------------------


@asynccontextmanager
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
        yield http


class Socket:
    """A WebSocket client that reads frames, skipping pings and other users' chatter."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws

    async def frame(self, wait: float = 5) -> dict[str, Any] | None:
        try:
            message = await self.ws.receive(timeout=wait)
        except TimeoutError:
            return None
        if message.type != aiohttp.WSMsgType.TEXT:
            return {"closed": self.ws.close_code}
        return json.loads(message.data)  # type: ignore[no-any-return]

    async def about(self, user_id: int, wait: float) -> list[dict[str, Any]]:
        """Every frame concerning `user_id` within `wait` seconds."""
        found = []
        deadline = time.monotonic() + wait
        while (left := deadline - time.monotonic()) > 0:
            frame = await self.frame(left)
            if frame is not None and frame.get("data", {}).get("user", {}).get("id") == user_id:
                found.append(frame)
        return found

    async def until(self, kind: str, user_id: int, wait: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + wait
        while (left := deadline - time.monotonic()) > 0:
            frame = await self.frame(left)
            if frame and frame.get("type") == kind and frame["data"]["user"]["id"] == user_id:
                return frame["data"]  # type: ignore[no-any-return]
        raise AssertionError(f"no {kind} for user {user_id} within {wait}s")


async def open_socket(http: aiohttp.ClientSession, server: AppServer, token: str) -> Socket:
    ws = await http.ws_connect(
        f"{server.ws_url}/ws/events", headers={"Authorization": f"Bearer {token}"}
    )
    socket = Socket(ws)
    hello = await socket.frame()
    assert hello is not None and hello["type"] == "hello"
    return socket


async def open_stream(
    http: aiohttp.ClientSession, server: AppServer, token: str
) -> aiohttp.ClientResponse:
    response = await http.get(f"{server.url}/api/events?token={token}")
    assert response.status == 200
    assert await response.content.readexactly(5) == b":ok\n\n"
    return response


async def next_message(stream: aiohttp.ClientResponse, wait: float = 5) -> bytes:
    return await asyncio.wait_for(stream.content.readuntil(b"\n\n"), wait)


# --- The 1.x stream under the app server ----------------------------------------------------


async def test_stream_under_the_app_server_is_byte_for_byte_1x(cluster):
    async with session() as http:
        stream = await open_stream(http, cluster.a, cluster.token("streamer"))

        assert stream.headers["Content-Type"] == "text/event-stream"
        assert stream.headers["Cache-Control"] == "no-cache"
        assert stream.headers["X-Accel-Buffering"] == "no"
        assert "Content-Encoding" not in stream.headers
        online = json.dumps({"user": cluster.ref("streamer")}, separators=(",", ":"))
        assert await next_message(stream) == f"event: user:online\ndata: {online}\n\n".encode()
        assert await next_message(stream, wait=2.5) == b":ping\n\n"
        stream.close()


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("", {"error": "Missing authorization token"}),
        ("?token=forged.jwt.value", {"error": "Invalid or expired token"}),
    ],
)
async def test_unauthenticated_stream_gets_the_1x_401(cluster, query, body):
    async with session() as http, http.get(f"{cluster.a.url}/api/events{query}") as response:
        assert response.status == 401
        assert await response.json() == body


async def test_fourth_connection_is_refused_on_either_transport_across_processes(cluster):
    token = cluster.token("capper")
    async with session() as http:
        held = [
            await open_stream(http, cluster.a, token),
            await open_stream(http, cluster.b, token),
        ]
        socket = await open_socket(http, cluster.b, token)

        async with http.get(f"{cluster.a.url}/api/events?token={token}") as refused:
            assert refused.status == 429
            assert await refused.json() == {"error": "Too many concurrent connections"}
        ws = await http.ws_connect(
            f"{cluster.a.ws_url}/ws/events", headers={"Authorization": f"Bearer {token}"}
        )
        assert (await ws.receive(timeout=5)).type == aiohttp.WSMsgType.CLOSE
        assert ws.close_code == 4429

        for stream in held:
            stream.close()
        await socket.ws.close()


# --- Several processes ---------------------------------------------------------------------------


async def test_client_on_a_receives_what_a_request_to_b_caused(cluster):
    body = webhook_body("participant_left", room_name="Lobby", identity="mallory")
    authorization = sign_webhook(
        body,
        api_key=TEST_SECRETS["LIVEKIT_API_KEY"],
        api_secret=TEST_SECRETS["LIVEKIT_API_SECRET"],
    )
    async with session() as http:
        watcher = await open_socket(http, cluster.a, cluster.token("watcher"))

        async with http.post(
            f"{cluster.b.url}/api/livekit/webhook",
            data=body,
            headers={"Authorization": authorization, "Content-Type": "application/webhook+json"},
        ) as response:
            assert response.status == 200
        # B published on commit, before answering: the event is already on its way to A.
        answered = time.monotonic()
        left = await watcher.until("user:room_leave", cluster.users["mallory"]["id"], wait=5)

        assert left == {"user": cluster.ref("mallory"), "roomId": cluster.lobby}
        assert time.monotonic() - answered < 2
        await watcher.ws.close()


async def test_reconnect_within_grace_is_silent_and_leaving_is_announced(cluster):
    lingerer = cluster.users["lingerer"]["id"]
    async with session() as http:
        watcher = await open_socket(http, cluster.a, cluster.token("watcher"))
        stream = await open_stream(http, cluster.b, cluster.token("lingerer"))
        await watcher.until("user:online", lingerer)

        stream.close()
        await asyncio.sleep(0.3)
        stream = await open_stream(http, cluster.a, cluster.token("lingerer"))
        assert await watcher.about(lingerer, wait=2.5) == []

        stream.close()
        assert await watcher.until("user:room_leave", lingerer, wait=5) == {
            "user": cluster.ref("lingerer"),
            "roomId": cluster.lobby,
        }
        assert await watcher.until("user:offline", lingerer, wait=2) == {
            "user": cluster.ref("lingerer")
        }
        await watcher.ws.close()


async def test_tokens_never_reach_the_access_log(cluster):
    token = cluster.token("streamer")
    async with session() as http:
        async with http.get(f"{cluster.b.url}/api/events?token={token}x"):
            pass
        stream = await open_stream(http, cluster.b, token)
        stream.close()
    await asyncio.sleep(0.5)

    log = cluster.b.log_text()
    assert "/api/events?token=[redacted]" in log
    assert token not in log
    assert token.split(".")[2] not in log


async def test_sigkilled_process_converges_within_the_reap_window(cluster):
    alice = cluster.users["alice"]["id"]
    async with session() as http:
        watcher = await open_socket(http, cluster.a, cluster.token("watcher"))
        victim = await open_socket(http, cluster.doomed, cluster.token("alice"))
        await watcher.until("user:online", alice)

        cluster.doomed.kill()
        killed = time.monotonic()
        left = await watcher.until("user:room_leave", alice, wait=30)
        offline = await watcher.until("user:offline", alice, wait=5)

        assert left == {"user": cluster.ref("alice"), "roomId": cluster.lobby}
        assert offline == {"user": cluster.ref("alice")}
        # Reaped after 3 s of silence plus the 1 s grace, far inside the 90 s promise.
        assert time.monotonic() - killed < 10
        await victim.ws.close()
        await watcher.ws.close()
