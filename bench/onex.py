"""The 1.x Node server, started from a folder where someone built it, measured beside ours.

`--beside-1x DIR` names a built copy of 1.x's `apps/server` (`npm install && npm run build`, so
that `DIR/dist/index.js` and `DIR/node_modules` exist); nothing of 1.x lives in this project. It
runs as its Dockerfile runs it (`node dist/index.js`), on a free loopback port, with a fresh
data folder, generated secrets and the same local LiveKit room service as ours. Its users and
rooms are written straight into its SQLite file (the schema is its own, created at start) and its
bearer tokens are minted with its JWT secret, exactly as its `/api/auth/login` mints them: the
client then speaks the same 1.x API to both servers.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

from harness.fake_livekit import running_fake_livekit
from harness.servers import free_port, wait_for_port

from .stack import Stack

# 1.x refuses event connections past this many (MAX_CONNECTIONS_TOTAL in its events.ts).
MAX_CLIENTS = 500


@dataclass
class NodeServer:
    """The running 1.x process."""

    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid


def check_built(folder: Path) -> str | None:
    """Why `folder` is not a built 1.x server, or None if it is."""
    for needed in ("dist/index.js", "node_modules/better-sqlite3", "node_modules/express"):
        if not (folder / needed).exists():
            return f"{folder / needed} is missing: build 1.x's apps/server there first"
    if shutil.which("node") is None:
        return "node is not on PATH"
    return None


@contextmanager
def _node(folder: Path, env: dict[str, str], log_path: Path) -> Iterator[NodeServer]:
    port = free_port()
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            ["node", "dist/index.js"],
            cwd=folder,
            env={**env, "PORT": str(port)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, process=process, timeout=60)
        yield NodeServer(port, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_for_schema(db_path: Path) -> None:
    # The server creates its tables on import, before it listens; this only guards a slow disk.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with sqlite3.connect(db_path, timeout=30) as db:
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'users'").fetchone():
                return
        time.sleep(0.1)
    raise RuntimeError(f"1.x created no schema in {db_path}")


def seed(db_path: Path, jwt_secret: str, listeners: int) -> dict[str, Any]:
    """The users and rooms of `bench.seed`, written into 1.x's own tables, with 1.x tokens.

    Membership and online state live in 1.x's memory (its SSE clients), so the workloads
    join rooms over the API after connecting, as a 1.x client does."""
    _wait_for_schema(db_path)
    with sqlite3.connect(db_path, timeout=30) as db:

        def users(prefix: str, count: int) -> list[dict[str, Any]]:
            made = []
            for i in range(count):
                name, display = f"{prefix}{i}", f"{prefix.upper()}{i}"
                cursor = db.execute(
                    "INSERT INTO users (username, display_name, password_hash) VALUES (?, ?, '!')",
                    (name, display),
                )
                claims = {"sub": cursor.lastrowid, "username": name, "display_name": display}
                token = jwt.encode(claims, jwt_secret, algorithm="HS256")
                made.append({"id": cursor.lastrowid, "token": token})
            return made

        def room(name: str, creator: dict[str, Any]) -> int:
            cursor = db.execute(
                "INSERT INTO rooms (name, type, created_by) VALUES (?, 'voice', ?)",
                (name, creator["id"]),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

        joiners, tribunal, trigger = users("j", 8), users("v", 3), users("t", 1)
        listening = users("l", listeners)
        rooms = {
            "bench": room("Bench", joiners[0]),
            "tribunal": room("Tribunal", tribunal[0]),
            "stage": room("Stage", trigger[0]),
        }
    return {
        "rooms": rooms,
        "joiners": joiners,
        "tribunal": tribunal,
        "trigger": trigger[0],
        "listeners": listening,
    }


@contextmanager
def running_onex(folder: Path, *, listeners: int) -> Iterator[Stack]:
    """Starts the 1.x server built in `folder`, seeds it, stops it and discards its data after."""
    with ExitStack() as stack:
        data_dir = Path(tempfile.mkdtemp(prefix="distokoloshe-1x-"))
        stack.callback(shutil.rmtree, data_dir, ignore_errors=True)
        livekit = stack.enter_context(running_fake_livekit())
        jwt_secret = secrets.token_hex(32)
        env = {
            "PATH": os.environ["PATH"],
            "NODE_ENV": "production",
            "DATA_DIR": str(data_dir),
            "JWT_SECRET": jwt_secret,
            "E2EE_SECRET": secrets.token_hex(32),
            "LIVEKIT_URL": livekit.url,
            "LIVEKIT_API_KEY": livekit.api_key,
            "LIVEKIT_API_SECRET": livekit.api_secret,
        }
        server = stack.enter_context(_node(folder, env, data_dir / "server.log"))
        seeded = seed(data_dir / "distokoloshe.db", jwt_secret, min(listeners, MAX_CLIENTS))
        yield Stack("1.x", [server], seeded, None, events="sse", max_clients=MAX_CLIENTS)
