"""The servers under test, started as users run them, and what the harness reads from them.

Three setups of ours: `single`, one app server process with the embedded defaults (SQLite,
the in-process hub, local-memory cache), as `bin/dev` runs it; `redis`, two app server
processes sharing one SQLite file and a private redis-server (hub and cache); and `postgres`,
two processes with Redis and a private PostgreSQL cluster, as the production stack runs
them. Each takes the in-process deadline scheduler and LiveKit calls to a local room
service. The 1.x server, when measured beside them, is started by `bench.onex` into the same
`Stack`.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from harness.fake_livekit import running_fake_livekit
from harness.servers import ROOT, AppServer, app_servers, redis_server

SETUPS = {
    "single": "1 process, SQLite, in-process hub",
    "redis": "2 processes, SQLite, Redis hub and cache",
    "postgres": "2 processes, PostgreSQL, Redis hub and cache",
}
# The setups of more than one process, each read against `single`.
MULTI_PROCESS = ("redis", "postgres")
ONEX = "1.x (Node, Express, better-sqlite3)"

Events = Literal["ws", "sse"]


class Server(Protocol):
    """What the client needs of one server process: where it listens and its process id."""

    @property
    def url(self) -> str: ...

    @property
    def ws_url(self) -> str: ...

    @property
    def pid(self) -> int: ...


@dataclass
class Stack:
    """Running servers plus the seeded users and rooms.

    `events` is the event stream the clients open: our WebSocket (`/ws/events`) or the 1.x
    Server-Sent Events stream (`/api/events`), which both servers speak. `max_clients` is the
    server's own cap on event connections, if any (1.x: 500). `db_path` is None where online
    state cannot be set in the database (1.x keeps it in memory); `database_url` is set where
    that database is PostgreSQL instead of a SQLite file.
    """

    name: str
    servers: list[Server]
    seed: dict[str, Any]
    db_path: Path | None
    events: Events = "ws"
    max_clients: int | None = None
    database_url: str | None = None

    def server(self, index: int) -> Server:
        """Servers are used round-robin, as a load balancer would spread clients."""
        return self.servers[index % len(self.servers)]

    def rss_kib(self) -> int:
        """Resident memory of every server process together, in KiB."""
        total = 0
        for server in self.servers:
            status = Path(f"/proc/{server.pid}/status").read_text()
            line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
            total += int(line.split()[1])
        return total

    def cpu_seconds(self) -> float:
        """CPU time (user + system, all threads) the server processes have used so far."""
        return sum(process_cpu_seconds(server.pid) for server in self.servers)

    def mark_online(self, user_ids: list[int]) -> None:
        """Counts these users as online already (as after a restart within the grace period), so
        connecting them does not also broadcast one `user:online` per connection to all others."""
        if self.database_url is not None:
            _mark_online_postgres(self.database_url, user_ids)
            return
        if self.db_path is None:
            return
        with sqlite3.connect(self.db_path, timeout=30) as db:
            db.executemany(
                "UPDATE presence_presence SET online = 1 WHERE user_id = ?",
                [(user_id,) for user_id in user_ids],
            )


def _mark_online_postgres(url: str, user_ids: list[int]) -> None:
    import psycopg

    with psycopg.connect(url) as db, db.cursor() as cursor:
        cursor.executemany(
            "UPDATE presence_presence SET online = true WHERE user_id = %s",
            [(user_id,) for user_id in user_ids],
        )


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of `pid` from /proc/<pid>/stat, in seconds."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    # The command name (field 2) may hold spaces; the fields after it are plain numbers.
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def raise_open_files_limit() -> int:
    """Lifts this process's (and its children's) open-file limit to the hard limit."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def _seed(server: AppServer, listeners: int) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "bench.seed", "--listeners", str(listeners)],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{result.stdout}\n{result.stderr}")
    seeded: dict[str, Any] = json.loads(result.stdout)
    return seeded


@contextmanager
def running(name: str, *, listeners: int, events: Events = "ws") -> Iterator[Stack]:
    """Starts setup `name` with room for `listeners` event clients, seeds it, stops it after."""
    with ExitStack() as stack:
        livekit = stack.enter_context(running_fake_livekit())
        env = {
            "LIVEKIT_URL": livekit.url,
            "LIVEKIT_API_KEY": livekit.api_key,
            "LIVEKIT_API_SECRET": livekit.api_secret,
            # The harness's own connections (trigger, voters) come on top of the listeners.
            "PRESENCE_MAX_TOTAL": str(listeners + 100),
            # The joiners join over HTTP alone, and the voters are members before their sockets
            # open: none is taken out of a room for want of a connection.
            "PRESENCE_UNCONNECTED_MEMBER_SECONDS": "3600",
            # The trigger user joins again and again, far past the per-user join rate.
            "RATELIMIT_ENABLE": "0",
        }
        count = 1
        database_url = None
        if name in MULTI_PROCESS:
            env["REDIS_URL"] = stack.enter_context(redis_server()).url
            count = 2
        if name == "postgres":
            from harness.postgres import postgres_server

            database_url = env["DATABASE_URL"] = stack.enter_context(postgres_server()).url
        servers = stack.enter_context(app_servers(count, extra_env=env))
        db_path = Path(servers[0].env["DATA_DIR"]) / "distokoloshe.sqlite3"
        seed = _seed(servers[0], listeners)
        yield Stack(
            name,
            [_Ours(s) for s in servers],
            seed,
            db_path,
            events=events,
            database_url=database_url,
        )


@dataclass
class _Ours:
    """One of our app server processes, seen as a `Server`."""

    app: AppServer

    @property
    def url(self) -> str:
        return self.app.url

    @property
    def ws_url(self) -> str:
        return self.app.ws_url

    @property
    def pid(self) -> int:
        assert self.app.process is not None
        return self.app.process.pid
