"""The servers under test, started as users run them, and what the harness reads from them.

Two setups: `single`, one app server process with the embedded defaults (SQLite, in-memory channel
layer, local-memory cache), as `bin/dev` runs it; and `redis`, two app server processes sharing one
SQLite file and a private redis-server (channel layer and cache), as a small production box runs
them. Both take the in-process deadline scheduler and LiveKit calls to a local room service.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.fake_livekit import running_fake_livekit
from harness.servers import ROOT, AppServer, app_servers, redis_server

SETUPS = {
    "single": "1 daphne process, SQLite, in-memory channel layer",
    "redis": "2 daphne processes, SQLite, Redis channel layer and cache",
}


@dataclass
class Stack:
    """Running servers plus the seeded users and rooms."""

    name: str
    servers: list[AppServer]
    seed: dict[str, Any]

    @property
    def db_path(self) -> Path:
        return Path(self.servers[0].env["DATA_DIR"]) / "distokoloshe.sqlite3"

    def server(self, index: int) -> AppServer:
        """Servers are used round-robin, as a load balancer would spread clients."""
        return self.servers[index % len(self.servers)]

    def rss_kib(self) -> int:
        """Resident memory of every app process together, in KiB."""
        total = 0
        for server in self.servers:
            assert server.process is not None
            status = Path(f"/proc/{server.process.pid}/status").read_text()
            line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
            total += int(line.split()[1])
        return total

    def mark_online(self, user_ids: list[int]) -> None:
        """Counts these users as online already (as after a restart within the grace period), so
        connecting them does not also broadcast one `user:online` per connection to all others."""
        with sqlite3.connect(self.db_path, timeout=30) as db:
            db.executemany(
                "UPDATE presence_presence SET online = 1 WHERE user_id = ?",
                [(user_id,) for user_id in user_ids],
            )


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
def running(name: str, *, listeners: int) -> Iterator[Stack]:
    """Starts setup `name` with room for `listeners` event clients, seeds it, stops it after."""
    with ExitStack() as stack:
        livekit = stack.enter_context(running_fake_livekit())
        env = {
            "LIVEKIT_URL": livekit.url,
            "LIVEKIT_API_KEY": livekit.api_key,
            "LIVEKIT_API_SECRET": livekit.api_secret,
            # The harness's own connections (trigger, voters) come on top of the listeners.
            "PRESENCE_MAX_TOTAL": str(listeners + 100),
        }
        count = 1
        if name == "redis":
            env["REDIS_URL"] = stack.enter_context(redis_server()).url
            count = 2
        servers = stack.enter_context(app_servers(count, extra_env=env))
        yield Stack(name=name, servers=servers, seed=_seed(servers[0], listeners))
