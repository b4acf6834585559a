"""The embedded SQLite database under daphne keeps its write-ahead log between requests.

Django opens and closes a connection per request under ASGI; when the last connection to a WAL
database closes, SQLite checkpoints, syncs and deletes the log, so every request paid for a
sync and recreated the files. The app process holds one idle connection so they stay."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from .live import call, deployment, http_session

pytestmark = pytest.mark.slow


async def test_the_write_ahead_log_outlives_each_request():
    with deployment("sqlite", processes=1) as cluster:
        data = Path(cluster.servers[0].env["DATA_DIR"])
        [who] = cluster.take(1)
        async with http_session() as http:
            for _ in range(5):
                status, _ = await call(http, cluster, "POST", "/api/rooms/1/join", who)
                assert status == 200
            await asyncio.sleep(0.5)  # every request's connection has closed by now

        files = {path.name for path in data.iterdir()}
        assert {"distokoloshe.sqlite3-wal", "distokoloshe.sqlite3-shm"} <= files
        assert cluster.sql("PRAGMA journal_mode") == [("wal",)]
