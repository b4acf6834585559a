"""SQLite as the app processes use it: the log kept open, and one writer at a time per process
(the database backend in base.py, ENGINE "core.sqlite")."""

from __future__ import annotations

import sqlite3

from django.conf import settings
from django.db import connections

_anchor: sqlite3.Connection | None = None
_checked = False


def wal_keep_open() -> None:
    """Holds one idle connection to the SQLite database for as long as the process runs.

    Under ASGI, Django opens and closes a database connection for every request. When the last
    connection to a WAL database closes, SQLite checkpoints, syncs the file and deletes the
    -wal and -shm files, and the next request creates them again: every request paid for that.
    One idle connection that has read the database keeps them open. Called on every
    connection, it does its work once; a no-op for PostgreSQL and in-memory databases (the
    test suite's, by the time it serves anything)."""
    global _anchor, _checked
    if _checked:
        return
    _checked = True
    database = settings.DATABASES["default"]
    name = str(database.get("NAME") or "")
    if connections["default"].vendor != "sqlite" or name in ("", ":memory:"):
        return
    if "mode=memory" in name:
        return
    anchor = sqlite3.connect(name, check_same_thread=False)
    # Reading maps the WAL index, which is what marks this connection as still open.
    anchor.execute("SELECT COUNT(*) FROM sqlite_master").fetchall()
    _anchor = anchor
