"""A room's chat history comes from its index on PostgreSQL too, not from a scan of every room's
lines: the plan of the very query the history endpoint runs, over a table of 60,000 lines in 30
rooms with fresh statistics (SQLite's plan is checked in chat/tests/test_history.py)."""

from __future__ import annotations

import json

import pytest

from harness.postgres import postgres_server
from harness.servers import app_env, manage

pytestmark = pytest.mark.slow

# Runs inside `manage.py shell` against the migrated database; prints both plans as JSON.
PLANS = """
import json
from django.db import connection
from accounts.models import User
from chat.selectors import history_query
from rooms.models import Room

author = User.objects.create(username="talker", display_name="Talker", password="!")
rooms = [Room.objects.create(name=f"Room {i}") for i in range(30)]
with connection.cursor() as cursor:
    cursor.execute(
        "INSERT INTO chat_chatmessage (room_id, author_id, text, had_image, created_at)"
        " SELECT %s + (n %% 30), %s, 'line ' || n, false, now() - n * interval '1 second'"
        " FROM generate_series(1, 60000) AS n",
        [rooms[0].pk, author.pk],
    )
    cursor.execute("ANALYZE chat_chatmessage")
room = rooms[7].pk
print(json.dumps({
    "newest": history_query(room_id=room, before=None, limit=51).explain(),
    "older": history_query(room_id=room, before=30000, limit=51).explain(),
}))
"""


def test_history_pages_use_the_index_on_postgresql(tmp_path):
    with postgres_server() as postgres:
        env = app_env(data_dir=tmp_path / "data", extra={"DATABASE_URL": postgres.url})
        manage("migrate", "--verbosity", "0", env=env)
        plans = json.loads(manage("shell", "--command", PLANS, env=env).strip().splitlines()[-1])

    for plan in plans.values():
        assert "chat_message_room_live" in plan, plan
        assert "Seq Scan on chat_chatmessage" not in plan, plan
        assert "Sort" not in plan, plan  # read in index order: nothing to sort
