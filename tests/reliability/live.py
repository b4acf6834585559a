"""A live deployment for the reliability and security suites, and clients that talk to it.

Real app server processes (one, or two sharing a private redis-server), SQLite or a private
PostgreSQL, and the local LiveKit room service. Timings are shortened through the environment
(grace 1 s, reap after 3 s, scheduler tick 0.1 s) so convergence is observable in seconds.
`TRUSTED_PROXIES` names loopback, so each test can be its own client address with
X-Forwarded-For and the per-address rate limits of one test never touch another.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from harness.fake_livekit import FakeLiveKit, running_fake_livekit
from harness.servers import AppServer, RedisServer, app_servers, manage, redis_server

FAST = {
    "PRESENCE_GRACE_SECONDS": "1",
    # Most personas act over HTTP alone, as API clients do: they keep the rooms they join.
    "PRESENCE_UNCONNECTED_MEMBER_SECONDS": "600",
    "PRESENCE_HEARTBEAT_SECONDS": "1",
    "PRESENCE_REAP_AFTER_SECONDS": "3",
    "SCHEDULER_TICK_SECONDS": "0.1",
    "TRUSTED_PROXIES": "127.0.0.1",
}
PASSWORD = "correct horse battery staple"

SEED = """
import json
from accounts.models import User
from accounts.tokens import token_mint
users = User.objects.bulk_create(
    [User(username=f"u{i}", display_name=f"U{i}", password="!") for i in range(%d)]
)
login = User.objects.create_user("login_user", %r, display_name="Login User")
print(json.dumps({"users": [[u.pk, u.username, token_mint(user=u)] for u in users],
                  "login": [login.pk, login.username, token_mint(user=login)]}))
"""


@dataclass(frozen=True)
class Persona:
    """A seeded user: id, username and a 1.x bearer token."""

    id: int
    username: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def ref(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.username, "display_name": self.username.upper()}


@dataclass
class Cluster:
    servers: list[AppServer]
    livekit: FakeLiveKit
    database_url: str | None
    pool: list[Persona]
    login: Persona
    redis: RedisServer | None = None
    _next: Iterator[int] = field(default_factory=itertools.count)
    _addresses: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, index: int = 0) -> str:
        return self.servers[index % len(self.servers)].url

    def ws_url(self, index: int = 0) -> str:
        return self.servers[index % len(self.servers)].ws_url

    def take(self, count: int) -> list[Persona]:
        """Fresh seeded users nobody else has used (in no room, never connected)."""
        return [self.pool[next(self._next)] for _ in range(count)]

    def address(self) -> dict[str, str]:
        """A client address of one's own (via the trusted loopback proxy) for rate limits."""
        n = next(self._addresses)
        # 198.18.0.0/15 is set aside for benchmarks: no real client has these addresses.
        return {"X-Forwarded-For": f"198.18.{n // 250}.{n % 250 + 1}"}

    def logs(self) -> str:
        return "\n".join(server.log_text() for server in self.servers)

    def sql(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        """Reads or writes the shared database directly (queries use %s placeholders)."""
        if self.database_url is None:
            path = Path(self.servers[0].env["DATA_DIR"]) / "distokoloshe.sqlite3"
            with sqlite3.connect(path, timeout=30) as db:
                return db.execute(query.replace("%s", "?"), args).fetchall()
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as db:
            cursor = db.execute(query, args)
            return cursor.fetchall() if cursor.description else []

    def rewind(self, table: str, row_id: int) -> None:
        """Moves a deadline into the past, as if every process had slept through it."""
        past: Any = datetime.now(UTC) - timedelta(seconds=1)
        if self.database_url is None:
            # Django keeps SQLite datetimes as naive UTC text.
            past = past.strftime("%Y-%m-%d %H:%M:%S.%f")
        self.sql(f"UPDATE {table} SET expires_at = %s WHERE id = %s", past, row_id)


@contextmanager
def running_cluster(
    processes: int = 2,
    *,
    users: int = 120,
    database_url: str | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[Cluster]:
    """`processes` app servers (Redis when more than one) on SQLite or `database_url`."""
    with ExitStack() as stack:
        livekit = stack.enter_context(running_fake_livekit())
        env = {
            **FAST,
            "LIVEKIT_URL": livekit.url,
            "LIVEKIT_API_KEY": livekit.api_key,
            "LIVEKIT_API_SECRET": livekit.api_secret,
            **(extra_env or {}),
        }
        redis = stack.enter_context(redis_server()) if processes > 1 else None
        if redis is not None:
            env["REDIS_URL"] = redis.url
        if database_url:
            env["DATABASE_URL"] = database_url
        servers = stack.enter_context(app_servers(processes, extra_env=env))
        seeded = json.loads(
            manage("shell", "-c", SEED % (users, PASSWORD), env=servers[0].env).splitlines()[-1]
        )
        yield Cluster(
            servers=servers,
            livekit=livekit,
            database_url=database_url,
            pool=[Persona(*row) for row in seeded["users"]],
            login=Persona(*seeded["login"]),
            redis=redis,
        )


@contextmanager
def deployment(
    backend: str, *, processes: int = 2, users: int = 120, extra_env: dict[str, str] | None = None
) -> Iterator[Cluster]:
    """`running_cluster` on "sqlite" (the embedded default) or a private "postgres"."""
    with ExitStack() as stack:
        database_url = None
        if backend == "postgres":
            from harness.postgres import postgres_server

            database_url = stack.enter_context(postgres_server()).url
        yield stack.enter_context(
            running_cluster(processes, users=users, database_url=database_url, extra_env=extra_env)
        )


# --- Clients -------------------------------------------------------------------------------------


@asynccontextmanager
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        yield session


class Socket:
    """An event WebSocket that keeps every frame it receives, in order."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, hello: dict[str, Any]) -> None:
        self.ws = ws
        self.hello = hello
        self.frames: list[dict[str, Any]] = []
        self.raw: list[str] = []

    async def _pump(self, wait: float) -> bool:
        try:
            message = await self.ws.receive(timeout=wait)
        except TimeoutError:
            return False
        if message.type != aiohttp.WSMsgType.TEXT:
            return False
        self.raw.append(message.data)
        self.frames.append(json.loads(message.data))
        return True

    def named(self, kind: str) -> list[dict[str, Any]]:
        return [f["data"] for f in self.frames if f.get("type") == kind]

    async def wait_for(
        self, kind: str, count: int = 1, wait: float = 10, **match: Any
    ) -> list[dict[str, Any]]:
        """Reads until `count` frames of `kind` (whose data has the `match` items) arrived."""
        deadline = time.monotonic() + wait
        while True:
            found = [d for d in self.named(kind) if all(d.get(k) == v for k, v in match.items())]
            left = deadline - time.monotonic()
            if len(found) >= count or left <= 0:
                return found
            await self._pump(left)

    async def drain(self, wait: float = 0.5) -> None:
        """Reads whatever arrives within `wait` seconds of quiet."""
        while await self._pump(wait):
            pass

    async def close(self) -> None:
        await self.ws.close()


async def open_socket(
    http: aiohttp.ClientSession, cluster: Cluster, who: Persona, server: int = 0
) -> Socket:
    ws = await http.ws_connect(f"{cluster.ws_url(server)}/ws/events", headers=who.auth)
    first = await ws.receive(timeout=30)
    assert first.type == aiohttp.WSMsgType.TEXT, first
    hello = json.loads(first.data)
    assert hello["type"] == "hello", hello
    return Socket(ws, hello["data"])


async def call(
    http: aiohttp.ClientSession,
    cluster: Cluster,
    method: str,
    path: str,
    who: Persona | None = None,
    body: Any = None,
    server: int = 0,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """One JSON request; returns (status, parsed body or text)."""
    all_headers = {**(who.auth if who else {}), **(headers or {})}
    async with http.request(
        method, f"{cluster.url(server)}{path}", json=body, headers=all_headers
    ) as response:
        text = await response.text()
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, text


async def browser_login(
    http: aiohttp.ClientSession, cluster: Cluster, username: str, password: str
) -> dict[str, str]:
    """Signs in the way the built-in UI does (CSRF cookie, then a session cookie); `http` must
    keep cookies for IP hosts (`aiohttp.CookieJar(unsafe=True)`). Returns the cookies."""
    origin = cluster.url()
    async with http.get(f"{origin}/api/csrf") as response:
        csrf = (await response.json())["csrfToken"]
    headers = {"X-CSRFToken": csrf, "Origin": origin, **cluster.address()}
    body = {"username": username, "password": password}
    async with http.post(f"{origin}/api/session/login", json=body, headers=headers) as response:
        assert response.status == 200, await response.text()
    return {cookie.key: cookie.value for cookie in http.cookie_jar}
