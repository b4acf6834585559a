"""A 1.x-shaped SQLite database for import tests, built the way the 1.x server built its own.

The statements are 1.x's schema (its data model, docs in original-server.md §5): the
CREATE TABLE block, then the ALTER TABLE upgrades it tried at every start, ignoring "duplicate
column" as it did, then the General room when there are no rooms.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import bcrypt

CREATE_TABLES = """
  CREATE TABLE IF NOT EXISTS rooms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT UNIQUE NOT NULL,
    type TEXT CHECK(type IN ('voice', 'video')) DEFAULT 'voice',
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT DEFAULT (datetime('now'))
  );

  CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT UNIQUE NOT NULL COLLATE NOCASE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    last_room_id INTEGER REFERENCES rooms(id) ON DELETE SET NULL,
    last_seen TEXT,
    created_at TEXT DEFAULT (datetime('now'))
  );

  CREATE TABLE IF NOT EXISTS user_settings (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    input_device_id TEXT,
    output_device_id TEXT,
    input_gain REAL DEFAULT 1.0,
    noise_suppression INTEGER DEFAULT 1
  );

  CREATE TABLE IF NOT EXISTS punishments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    target_user_id INTEGER NOT NULL REFERENCES users(id),
    source_room_id INTEGER NOT NULL REFERENCES rooms(id),
    jail_room_id INTEGER NOT NULL REFERENCES rooms(id),
    duration_secs INTEGER NOT NULL,
    started_at TEXT NOT NULL DEFAULT (datetime('now')),
    expires_at TEXT NOT NULL,
    lifted_by INTEGER REFERENCES users(id),
    lifted_at TEXT,
    active INTEGER NOT NULL DEFAULT 1
  );

  CREATE TABLE IF NOT EXISTS votes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_room_id INTEGER NOT NULL REFERENCES rooms(id),
    target_user_id INTEGER NOT NULL REFERENCES users(id),
    initiated_by INTEGER NOT NULL REFERENCES users(id),
    duration_secs INTEGER NOT NULL,
    started_at TEXT NOT NULL DEFAULT (datetime('now')),
    expires_at TEXT NOT NULL,
    resolved INTEGER NOT NULL DEFAULT 0,
    passed INTEGER NOT NULL DEFAULT 0,
    eligible_count INTEGER NOT NULL,
    yes_count INTEGER NOT NULL DEFAULT 0,
    no_count INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE IF NOT EXISTS vote_ballots (
    vote_id INTEGER NOT NULL REFERENCES votes(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    vote_yes INTEGER NOT NULL,
    PRIMARY KEY (vote_id, user_id)
  );

  CREATE TABLE IF NOT EXISTS whisper_chains (
    room_id INTEGER NOT NULL REFERENCES rooms(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (room_id, user_id)
  );
"""

UPGRADES = [
    "ALTER TABLE users ADD COLUMN last_seen TEXT",
    "ALTER TABLE rooms ADD COLUMN created_by INTEGER REFERENCES users(id) ON DELETE SET NULL",
    "ALTER TABLE rooms ADD COLUMN mode TEXT DEFAULT 'normal'",
    "ALTER TABLE rooms ADD COLUMN is_jail INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE rooms ADD COLUMN jail_source_room_id INTEGER REFERENCES rooms(id)",
]

# bcrypt at its lowest cost, so building a database stays quick; 1.x's cost-12 hashes have the
# same `$2b$` form (one test user has a real one).
CHEAP_COST = 4


def sql_ts(when: datetime) -> str:
    """1.x's `datetime('now')` form: UTC, no `T`, zone or fraction."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def hashed(password: str, *, cost: int = CHEAP_COST) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(cost)).decode()


class OneXDatabaseFile:
    """A 1.x database file, with helpers that insert rows as 1.x's routes did."""

    def __init__(self, path: Path, *, upgraded: bool = True) -> None:
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.executescript(CREATE_TABLES)
        for statement in UPGRADES if upgraded else []:
            # "duplicate column name" for the columns CREATE TABLE already has, as 1.x ignored it.
            with contextlib.suppress(sqlite3.OperationalError):
                self.conn.execute(statement)
        if self.conn.execute("SELECT COUNT(*) FROM rooms").fetchone()[0] == 0:
            self.conn.execute("INSERT INTO rooms (name, type) VALUES (?, ?)", ("General", "voice"))

    def close(self) -> None:
        self.conn.close()

    def insert(self, table: str, **values: Any) -> int:
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cursor = self.conn.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values())
        )
        return int(cursor.lastrowid or 0)

    def user(self, username: str, display_name: str, password_hash: str, **extra: Any) -> int:
        user_id = self.insert(
            "users",
            username=username,
            display_name=display_name,
            password_hash=password_hash,
            **extra,
        )
        self.insert("user_settings", user_id=user_id)
        return user_id

    def room(self, name: str, **extra: Any) -> int:
        return self.insert("rooms", name=name, **extra)

    def jail(self, source_id: int) -> int:
        (name, room_type) = self.conn.execute(
            "SELECT name, type FROM rooms WHERE id = ?", (source_id,)
        ).fetchone()
        return self.room(f"Jail: {name}", type=room_type, is_jail=1, jail_source_room_id=source_id)

    def punishment(
        self, target: int, source: int, jail: int, *, started: datetime, duration: int, **extra: Any
    ) -> int:
        return self.insert(
            "punishments",
            target_user_id=target,
            source_room_id=source,
            jail_room_id=jail,
            duration_secs=duration,
            started_at=sql_ts(started),
            expires_at=sql_ts(started + timedelta(seconds=duration)),
            **extra,
        )

    def unchecked(self, sql: str, *params: Any) -> None:
        """Runs `sql` with foreign keys off, as the sqlite3 shell does by default: how rows come
        to point at rooms that are gone."""
        self.conn.execute("PRAGMA foreign_keys = OFF")
        try:
            self.conn.execute(sql, params)
        finally:
            self.conn.execute("PRAGMA foreign_keys = ON")
