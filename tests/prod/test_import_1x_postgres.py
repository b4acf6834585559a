"""`manage.py import_1x` into PostgreSQL, as production runs it: explicit ids do not move
PostgreSQL's sequences, so without the reset the first new user, room or punishment after an
import would collide with an imported one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from harness.postgres import postgres_server
from harness.servers import app_env, manage
from tests.support.onex_database import OneXDatabaseFile, hashed

pytestmark = pytest.mark.slow


def _one_x(path: Path) -> None:
    db = OneXDatabaseFile(path)
    cheap = hashed("some-password-1")
    alice = db.user("alice", "Alice", cheap)
    db.user("bob", "Bob", cheap)
    # AUTOINCREMENT ids with gaps, as deleted rows leave them.
    late = db.insert("users", id=40, username="late", display_name="Late", password_hash=cheap)
    lounge = db.room("Lounge", created_by=alice)
    db.insert("rooms", id=30, name="Far Room", created_by=late)
    jail = db.jail(lounge)
    db.insert(
        "punishments",
        id=25,
        target_user_id=late,
        source_room_id=lounge,
        jail_room_id=jail,
        duration_secs=300,
        started_at=(datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S"),
        expires_at=(datetime.now(UTC) - timedelta(hours=23)).strftime("%Y-%m-%d %H:%M:%S"),
        active=0,
    )
    db.close()


def _next_id(conn: psycopg.Connection[tuple[int]], table: str) -> int:
    row = conn.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))").fetchone()
    assert row is not None
    return row[0]


def test_import_into_postgresql_keeps_ids_and_new_rows_follow_them(tmp_path):
    source = tmp_path / "distokoloshe.db"
    _one_x(source)
    with postgres_server() as postgres:
        env = app_env(data_dir=tmp_path / "data", extra={"DATABASE_URL": postgres.url})
        manage("migrate", "--verbosity", "0", env=env)

        first = manage("import_1x", str(source), env=env)
        again = manage("import_1x", str(source), env=env)
        manage(
            "createsuperuser",
            "--noinput",
            env={
                **env,
                "DJANGO_SUPERUSER_USERNAME": "admin",
                "DJANGO_SUPERUSER_PASSWORD": "a long admin passphrase",
            },
        )
        manage("create_room", "Fresh", env=env)

        with psycopg.connect(postgres.url) as conn:
            users = conn.execute(
                "SELECT id, username, display_name FROM accounts_user ORDER BY id"
            ).fetchall()
            fresh = conn.execute("SELECT id FROM rooms_room WHERE name = 'Fresh'").fetchone()
            next_punishment = _next_id(conn, "moderation_punishment")

    assert "PostgreSQL id sequences now continue after the highest imported ids." in first
    assert "users: 3 imported" in first and "punishments: 1 imported" in first
    assert again.rstrip().endswith(
        "Nothing to do: everything in it is already here, as it is there."
    )
    assert users == [
        (1, "alice", "Alice"),
        (2, "bob", "Bob"),
        (40, "late", "Late"),
        (41, "admin", "admin"),
    ]
    assert fresh == (32,)  # after Far Room (30) and the jail 1.x numbered 31
    assert next_punishment == 26
