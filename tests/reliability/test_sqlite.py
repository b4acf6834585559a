"""The embedded SQLite database: the write-ahead log outlives each request under the app server,
and a process's writers queue in Python (core/sqlite) without losing or blocking anything."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from core.sqlite.base import DatabaseWrapper

from .live import call, deployment, http_session


@pytest.mark.slow
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


@pytest.fixture
def unblocked(django_db_blocker):
    # These connections go to files of the test's own, not to the test database.
    with django_db_blocker.unblock():
        yield


def _wrapper(path: Path, alias: str) -> DatabaseWrapper:
    settings = {
        "ENGINE": "core.sqlite",
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TEST": {},
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
    }
    return DatabaseWrapper(settings, alias=alias)


def _in_transaction(db: DatabaseWrapper, work) -> None:
    # What transaction.atomic() does with the connection at the outermost level.
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        work(db.cursor())
    except Exception:
        db.rollback()
        raise
    else:
        db.commit()
    finally:
        db.set_autocommit(True)


def test_writers_of_many_threads_queue_and_every_write_lands(tmp_path: Path, unblocked):
    path = tmp_path / "db.sqlite3"
    setup = _wrapper(path, "setup")
    _in_transaction(setup, lambda c: c.execute("CREATE TABLE counter (n INTEGER)"))
    _in_transaction(setup, lambda c: c.execute("INSERT INTO counter VALUES (0)"))

    def increment(cursor) -> None:
        # Read, pause, write: interleaved writers would lose updates.
        cursor.execute("SELECT n FROM counter")
        (n,) = cursor.fetchone()
        time.sleep(0.001)
        cursor.execute("UPDATE counter SET n = %s", [n + 1])

    def worker(index: int) -> None:
        db = _wrapper(path, f"w{index}")
        for _ in range(25):
            _in_transaction(db, increment)
        db.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    cursor = setup.cursor()
    cursor.execute("SELECT n FROM counter")
    assert cursor.fetchone() == (200,)
    setup.close()


def test_a_failed_transaction_frees_the_writer_for_the_next(tmp_path: Path, unblocked):
    path = tmp_path / "db.sqlite3"
    first = _wrapper(path, "first")
    _in_transaction(first, lambda c: c.execute("CREATE TABLE t (n INTEGER)"))

    def fail(cursor) -> None:
        cursor.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError("the request failed")

    with pytest.raises(RuntimeError):
        _in_transaction(first, fail)
    done = threading.Event()

    def other() -> None:
        second = _wrapper(path, "second")  # a connection belongs to the thread that made it
        _in_transaction(second, lambda c: c.execute("INSERT INTO t VALUES (2)"))
        second.close()
        done.set()

    threading.Thread(target=other, daemon=True).start()
    assert done.wait(5), "the writer lock was not released by the rollback"
    cursor = first.cursor()
    cursor.execute("SELECT n FROM t")
    assert cursor.fetchall() == [(2,)]
    first.close()
