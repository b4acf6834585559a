"""A 1.x SQLite database, read (never written) into plain rows.

1.x created its tables with `CREATE TABLE IF NOT EXISTS` and added later columns with `ALTER
TABLE` at every start, so a database may lack a late column; it reads as 1.x's default. SQLite
keeps whatever type a value was written with, so every value is checked, not trusted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


class SourceError(Exception):
    """The file cannot be read as a 1.x database; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class OneXUser:
    id: int
    username: str
    display_name: str
    password_hash: str
    last_room_id: int | None
    last_seen: datetime | None
    created_at: datetime | None


@dataclass(frozen=True, slots=True)
class OneXRoom:
    id: int
    name: str
    type: str | None
    created_by: int | None
    created_at: datetime | None
    mode: str | None
    is_jail: bool
    jail_source_room_id: int | None


@dataclass(frozen=True, slots=True)
class OneXPunishment:
    id: int
    target_user_id: int | None
    source_room_id: int | None
    jail_room_id: int | None
    duration_secs: int | None
    started_at: datetime | None
    expires_at: datetime | None
    lifted_by: int | None
    lifted_at: datetime | None
    active: bool


@dataclass(frozen=True, slots=True)
class OneXDatabase:
    path: Path
    users: list[OneXUser]
    rooms: list[OneXRoom]
    punishments: list[OneXPunishment]
    # Read only to say what is left behind.
    votes: int
    whisper_links: int


# Columns read from each table, with the value a missing column reads as (1.x's defaults).
USER_COLUMNS = {
    "id": None,
    "username": None,
    "display_name": None,
    "password_hash": None,
    "last_room_id": None,
    "last_seen": None,
    "created_at": None,
}
ROOM_COLUMNS = {
    "id": None,
    "name": None,
    "type": "voice",
    "created_by": None,
    "created_at": None,
    "mode": "normal",
    "is_jail": 0,
    "jail_source_room_id": None,
}
PUNISHMENT_COLUMNS = {
    "id": None,
    "target_user_id": None,
    "source_room_id": None,
    "jail_room_id": None,
    "duration_secs": None,
    "started_at": None,
    "expires_at": None,
    "lifted_by": None,
    "lifted_at": None,
    "active": 1,
}
REQUIRED = {
    "users": ("id", "username", "display_name", "password_hash"),
    "rooms": ("id", "name"),
}


def read_1x(path: Path) -> OneXDatabase:
    """Every row the import needs from the 1.x database at `path`."""
    with _connected(path) as conn:
        try:
            users = [_user(row) for row in _rows(conn, path, "users", USER_COLUMNS)]
            rooms = [_room(row) for row in _rows(conn, path, "rooms", ROOM_COLUMNS)]
            punishments = [
                _punishment(row) for row in _rows(conn, path, "punishments", PUNISHMENT_COLUMNS)
            ]
            votes, links = _count(conn, "votes"), _count(conn, "whisper_chains")
        except sqlite3.DatabaseError as exc:
            raise SourceError(f"{path} cannot be read as a SQLite database: {exc}.") from exc
    return OneXDatabase(path, users, rooms, punishments, votes=votes, whisper_links=links)


@contextmanager
def _connected(path: Path) -> Iterator[sqlite3.Connection]:
    if not path.is_file():
        raise SourceError(f"{path} is not a file; give the path of 1.x's distokoloshe.db.")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise SourceError(f"{path} cannot be opened: {exc}.") from exc
    with closing(conn):
        yield conn


def _columns(conn: sqlite3.Connection, table: str) -> set[str] | None:
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    if found is None:
        return None
    return {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}


def _rows(
    conn: sqlite3.Connection, path: Path, table: str, wanted: dict[str, Any]
) -> list[dict[str, Any]]:
    present = _columns(conn, table)
    required = REQUIRED.get(table, ())
    if present is None and required:
        raise SourceError(f"{path} has no {table} table, so it is not a 1.x database.")
    missing = [name for name in required if name not in (present or ())]
    if missing:
        raise SourceError(f"{path}: the {table} table has no {', '.join(missing)} column.")
    if present is None:
        return []
    # Table and column names come from the fixed maps above, never from the file.
    select = ", ".join(f'"{c}"' if c in present else "?" for c in wanted)
    defaults = [default for c, default in wanted.items() if c not in present]
    query = f'SELECT {select} FROM "{table}" ORDER BY "id"'  # noqa: S608
    cursor = conn.execute(query, defaults)
    return [dict(zip(wanted, row, strict=True)) for row in cursor]


def _count(conn: sqlite3.Connection, table: str) -> int:
    if _columns(conn, table) is None:
        return 0
    return int(conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])  # noqa: S608


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) else None


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return "" if value is None else str(value)


def _when(value: Any) -> datetime | None:
    """1.x's `YYYY-MM-DD HH:MM:SS` (UTC, no zone); also ISO forms with `T`, `Z` or an offset."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _user(row: dict[str, Any]) -> OneXUser:
    return OneXUser(
        id=row["id"],
        username=_text(row["username"]),
        display_name=_text(row["display_name"]),
        password_hash=_text(row["password_hash"]),
        last_room_id=_int(row["last_room_id"]),
        last_seen=_when(row["last_seen"]),
        created_at=_when(row["created_at"]),
    )


def _room(row: dict[str, Any]) -> OneXRoom:
    return OneXRoom(
        id=row["id"],
        name=_text(row["name"]),
        type=row["type"] if isinstance(row["type"], str) else None,
        created_by=_int(row["created_by"]),
        created_at=_when(row["created_at"]),
        mode=row["mode"] if isinstance(row["mode"], str) else None,
        is_jail=bool(_int(row["is_jail"])),
        jail_source_room_id=_int(row["jail_source_room_id"]),
    )


def _punishment(row: dict[str, Any]) -> OneXPunishment:
    return OneXPunishment(
        id=row["id"],
        target_user_id=_int(row["target_user_id"]),
        source_room_id=_int(row["source_room_id"]),
        jail_room_id=_int(row["jail_room_id"]),
        duration_secs=_int(row["duration_secs"]),
        started_at=_when(row["started_at"]),
        expires_at=_when(row["expires_at"]),
        lifted_by=_int(row["lifted_by"]),
        lifted_at=_when(row["lifted_at"]),
        active=bool(_int(row["active"])),
    )
