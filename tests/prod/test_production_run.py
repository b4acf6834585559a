"""The production layout on this machine, without Docker: PostgreSQL and Redis from Debian's
packages, two app server processes with production settings (HTTPS behind a trusted proxy, no
in-process scheduler) and `manage.py run_scheduler` on its own, as docker/compose.yml runs them.

The client plays Caddy: every request says X-Forwarded-Proto https and carries the browser's
address in X-Forwarded-For. Users are spread over both processes, so every event a test waits
for crossed from one process to the other through Redis.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from livekit.api import TokenVerifier

from harness.fake_livekit import FakeLiveKit, running_fake_livekit, sign_webhook, webhook_body
from harness.postgres import PostgresServer, postgres_server
from harness.servers import (
    TEST_SECRETS,
    AppServer,
    app_env,
    app_servers,
    redis_server,
    scheduler_process,
)

pytestmark = pytest.mark.slow

Frame = dict[str, Any]
_addresses = (f"203.0.113.{n}" for n in itertools.count(1))


@dataclass
class Stack:
    a: AppServer
    b: AppServer
    postgres: PostgresServer
    livekit: FakeLiveKit


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir = tmp_path_factory.mktemp("production-run")
    with (
        postgres_server() as postgres,
        redis_server() as redis,
        running_fake_livekit(
            api_key=TEST_SECRETS["LIVEKIT_API_KEY"], api_secret=TEST_SECRETS["LIVEKIT_API_SECRET"]
        ) as livekit,
    ):
        extra = {
            "DATABASE_URL": postgres.url,
            "REDIS_URL": redis.url,
            "DJANGO_USE_HTTPS": "1",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "TRUSTED_PROXIES": "127.0.0.1",
            "SCHEDULER_IN_PROCESS": "false",
            "LIVEKIT_PUBLIC_URL": "/livekit/",
            # LiveKit's room service, stood in for by a local Twirp server (no SFU runs here).
            "LIVEKIT_URL": livekit.url,
        }
        with app_servers(2, extra_env=extra, data_dir=data_dir) as (a, b):
            env = app_env(data_dir=data_dir, extra=extra)
            with scheduler_process(env, log_path=data_dir / "scheduler.log"):
                yield Stack(a=a, b=b, postgres=postgres, livekit=livekit)
            for server in (a, b):
                assert "Traceback" not in server.log_text(), server.log_text()


@dataclass
class Client:
    """One browser's worth of client: its own address, a bearer token once signed in."""

    server: AppServer
    http: aiohttp.ClientSession
    address: str = field(default_factory=lambda: next(_addresses))
    token: str | None = None
    user: dict[str, Any] = field(default_factory=dict)

    def headers(self) -> dict[str, str]:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.address}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        async with self.http.request(
            method,
            self.server.url + path,
            json=body,
            headers=self.headers(),
            allow_redirects=False,
        ) as response:
            return response.status, await response.json(content_type=None)

    async def register(self, username: str) -> None:
        status, body = await self.call(
            "POST",
            "/api/auth/register",
            {"username": username, "display_name": username.title(), "password": "hunter2hunter2"},
        )
        assert status == 201, body
        self.token, self.user = body["token"], body["user"]


class Events:
    """A WebSocket on /ws/events that keeps every frame it receives."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.frames: list[Frame] = []
        self._arrived = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.TEXT:
                async with self._arrived:
                    self.frames.append(json.loads(message.data))
                    self._arrived.notify_all()

    def matching(self, kind: str, test: Callable[[Any], bool] = lambda _: True) -> list[Any]:
        return [f.get("data") for f in self.frames if f["type"] == kind and test(f.get("data"))]

    async def wait_for(
        self, kind: str, test: Callable[[Any], bool] = lambda _: True, within: float = 10.0
    ) -> Any:
        async with self._arrived:
            await asyncio.wait_for(
                self._arrived.wait_for(lambda: bool(self.matching(kind, test))), within
            )
        return self.matching(kind, test)[0]

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def connect(client: Client) -> Events:
    ws = await client.http.ws_connect(client.server.ws_url + "/ws/events", headers=client.headers())
    events = Events(ws)
    await events.wait_for("hello")
    assert events.frames[0]["type"] == "hello"
    return events


def verified_livekit_token(token: str) -> Any:
    verifier = TokenVerifier(TEST_SECRETS["LIVEKIT_API_KEY"], TEST_SECRETS["LIVEKIT_API_SECRET"])
    return verifier.verify(token)


def e2ee_key(room_name: str) -> str:
    digest = hmac.new(
        TEST_SECRETS["E2EE_SECRET"].encode(), room_name.encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


async def test_health_answers_on_both_processes(stack: Stack, http: aiohttp.ClientSession):
    for server in (stack.a, stack.b):
        async with http.get(server.url + "/api/health") as response:
            assert response.status == 200
            assert await response.json() == {"status": "ok"}


async def test_register_login_join_and_events_cross_processes(
    stack: Stack, http: aiohttp.ClientSession
):
    alice, bob = Client(stack.a, http), Client(stack.b, http)
    await alice.register("alice_prod")
    await bob.register("bob_prod")

    # A token minted by one process is accepted by the other.
    login = Client(stack.b, http, address=alice.address)
    status, body = await login.call(
        "POST", "/api/auth/login", {"username": "ALICE_PROD", "password": "hunter2hunter2"}
    )
    assert status == 200 and body["user"]["username"] == "alice_prod"
    login.token = body["token"]
    assert (await login.call("GET", "/api/auth/me"))[1]["user"]["id"] == alice.user["id"]

    alice_events, bob_events = await connect(alice), await connect(bob)
    try:
        status, body = await alice.call("POST", "/api/rooms", {"name": "Prod Room"})
        assert status == 201, body
        room = body["room"]
        created = await bob_events.wait_for("room:created", lambda d: d["room"]["id"] == room["id"])
        assert created["room"]["name"] == "Prod Room"

        status, joined = await bob.call("POST", f"/api/rooms/{room['id']}/join")
        assert status == 200, joined
        assert joined["wsUrl"] == "/livekit/"
        assert joined["room"]["id"] == room["id"]
        assert joined["e2eeKey"] == e2ee_key("Prod Room")
        claims = verified_livekit_token(joined["token"])
        assert claims.identity == "bob_prod"
        assert claims.name == "Bob_Prod"
        assert claims.video.room == "Prod Room"
        assert claims.video.room_join and claims.video.can_publish and claims.video.can_subscribe

        # Bob's join was handled by process B; Alice listens on process A.
        seen = await alice_events.wait_for(
            "user:room_join", lambda d: d["user"]["id"] == bob.user["id"]
        )
        assert seen["roomId"] == room["id"]
        status, members = await alice.call("GET", "/api/rooms/members")
        assert [u["id"] for u in members["members"][str(room["id"])]] == [bob.user["id"]]
    finally:
        await alice_events.close()
        await bob_events.close()


def vote_resolved(vote_id: int) -> Callable[[Any], bool]:
    return lambda d: d["voteId"] == vote_id


async def test_votes_resolve_once_across_processes_and_the_scheduler(
    stack: Stack, http: aiohttp.ClientSession
):
    servers = itertools.cycle([stack.a, stack.b])
    people = {name: Client(next(servers), http) for name in ("ann", "ben", "cat", "mal")}
    for name, client in people.items():
        await client.register(f"{name}_vote")
    ann, ben, cat, mal = people.values()
    events = {name: await connect(client) for name, client in people.items()}
    try:
        status, body = await ann.call("POST", "/api/rooms", {"name": "Vote Room"})
        assert status == 201, body
        room_id = body["room"]["id"]
        stack.livekit.add_participant("Vote Room", "mal_vote", audio_tracks=["TR_mal"])
        for client in people.values():
            assert (await client.call("POST", f"/api/rooms/{room_id}/join"))[0] == 200
        for name in ("ann", "ben", "cat"):
            await events[name].wait_for(
                "user:room_join", lambda d: d["user"]["id"] == mal.user["id"]
            )

        # No early resolution (1 yes, 1 no of 3): only the deadline can end it, and no app
        # process schedules, so the separate scheduler process must fire it, exactly once.
        vote = await start_vote(ann, mal)
        await events["ben"].wait_for("vote:started", lambda d: d["vote"]["id"] == vote["id"])
        status, tally = await cat.call(
            "POST", f"/api/votes/{vote['id']}/ballot", {"voteYes": False}
        )
        assert (status, tally["yesCount"], tally["noCount"]) == (200, 1, 1), tally
        for name in ("ann", "ben", "cat"):
            resolved = await events[name].wait_for(
                "vote:resolved", vote_resolved(vote["id"]), within=45
            )
            assert resolved["passed"] is False
        await asyncio.sleep(2)
        for name in ("ann", "ben", "cat", "mal"):
            assert len(events[name].matching("vote:resolved", vote_resolved(vote["id"]))) == 1

        # A deciding ballot on the other process resolves it at once: passed, jailed, once.
        vote = await start_vote(ann, mal)
        status, tally = await ben.call("POST", f"/api/votes/{vote['id']}/ballot", {"voteYes": True})
        assert (status, tally["yesCount"]) == (200, 2), tally
        for name in ("ann", "ben", "cat"):
            resolved = await events[name].wait_for("vote:resolved", vote_resolved(vote["id"]))
            assert resolved["passed"] is True
        started = await events["mal"].wait_for("punishment:started")
        jail = started["jailConnection"]
        assert verified_livekit_token(jail["token"]).video.room == "Jail: Vote Room"
        bystander = await events["cat"].wait_for("punishment:started")
        assert "jailConnection" not in bystander
        moved = await events["ann"].wait_for(
            "user:room_join",
            lambda d: d["user"]["id"] == mal.user["id"] and d["roomId"] == jail["room"]["id"],
        )
        assert moved["roomId"] != room_id
        await kicked_from(stack.livekit, "Vote Room", "mal_vote", times=1)

        # LiveKit (on the host network) reports the jailed user back in the source room; its
        # webhook reaches the app over plain loopback HTTP, as compose wires it, and they are
        # removed again.
        body = webhook_body("participant_joined", room_name="Vote Room", identity="mal_vote")
        async with http.post(
            stack.b.url + "/api/livekit/webhook",
            data=body,
            headers={
                "Content-Type": "application/webhook+json",
                "Authorization": sign_webhook(
                    body,
                    api_key=TEST_SECRETS["LIVEKIT_API_KEY"],
                    api_secret=TEST_SECRETS["LIVEKIT_API_SECRET"],
                ),
            },
            allow_redirects=False,
        ) as response:
            assert response.status == 200, await response.text()
        await kicked_from(stack.livekit, "Vote Room", "mal_vote", times=2)
        await asyncio.sleep(2)
        for name in ("ann", "ben", "cat", "mal"):
            assert len(events[name].matching("vote:resolved", vote_resolved(vote["id"]))) == 1
            assert len(events[name].matching("punishment:started")) == 1
    finally:
        for stream in events.values():
            await stream.close()


async def kicked_from(livekit: FakeLiveKit, room: str, identity: str, *, times: int) -> None:
    """Waits until the room service has been asked `times` times to remove `identity`."""
    for _ in range(200):
        kicks = [
            r
            for r in livekit.requests("RemoveParticipant")
            if (r.room, r.identity) == (room, identity)
        ]
        if len(kicks) >= times:
            assert len(kicks) == times
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{identity} was not removed from {room} {times} time(s)")


async def start_vote(initiator: Client, target: Client) -> Any:
    status, body = await initiator.call(
        "POST", "/api/votes", {"targetUserId": target.user["id"], "durationSecs": 60}
    )
    assert status == 201, body
    assert body["vote"]["eligibleCount"] == 3
    return body["vote"]


async def test_rate_limits_count_the_real_client_address_across_processes(
    stack: Stack, http: aiohttp.ClientSession
):
    # Ten accounts per hour per address, counted in Redis whichever process answers.
    address = "198.51.100.20"
    for n in range(10):
        client = Client(stack.a if n % 2 else stack.b, http, address=address)
        await client.register(f"limit_{n}")
    status, body = await Client(stack.a, http, address=address).call(
        "POST",
        "/api/auth/register",
        {"username": "limit_10", "display_name": "Eleven", "password": "hunter2hunter2"},
    )
    assert status == 429
    assert body["error"].startswith("Too many registrations, please try again later (in ")
    # Everyone else behind the same proxy is unaffected.
    await Client(stack.b, http, address="198.51.100.21").register("limit_other")
