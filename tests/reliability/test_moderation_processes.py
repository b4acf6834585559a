"""Moderation under real processes: app servers sharing a file-backed SQLite database and a
private Redis, concurrent HTTP clients, SIGKILL and restart. Events are observed on the Redis
channel that carries them between processes, exactly as every process's hub receives them."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
import requests

from harness.fake_livekit import FakeLiveKit, running_fake_livekit
from harness.servers import AppServer, app_servers, manage, redis_server
from realtime.hub import Envelope

pytestmark = pytest.mark.slow
# The app processes run with the default CACHE_KEY_PREFIX.
CHANNEL = "distokoloshe:events"

SETUP = """
import json
from accounts.models import User
from accounts.tokens import token_mint
from rooms.models import Membership, Room
users = User.objects.bulk_create(
    [User(username="p" + str(i), display_name="P" + str(i), password="!") for i in range({count})]
)
room = Room.objects.create(name="Arena", created_by=users[0])
Membership.objects.bulk_create([Membership(user=u, room=room) for u in users])
print(json.dumps({{"room": room.pk, "users": [[u.pk, token_mint(user=u)] for u in users]}}))
"""


@dataclass
class EventTap:
    """Listens on the processes' Redis events channel from its own thread and records every
    event that would reach any of `user_ids` (everyone's, and those addressed to them)."""

    url: str
    user_ids: set[int]
    received: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    _ready: threading.Event = field(default_factory=threading.Event)
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        threading.Thread(target=self._listen, daemon=True).start()
        assert self._ready.wait(10), "event tap did not subscribe"

    def _listen(self) -> None:
        pubsub = redis.Redis.from_url(self.url).pubsub()
        pubsub.subscribe(CHANNEL)
        self._ready.set()
        while not self._stop.is_set():
            message = pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)
            if message is None:
                continue
            envelope = Envelope.decode(message["data"])
            if envelope.to is None or self.user_ids & set(envelope.to):
                self.received.append((envelope.name, json.loads(envelope.data)))
        pubsub.close()

    def stop(self) -> None:
        self._stop.set()

    def named(self, name: str) -> list[dict[str, Any]]:
        return [data for event, data in list(self.received) if event == name]

    def wait_for(self, name: str, count: int = 1, timeout: float = 15.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.named(name)) < count:
            time.sleep(0.02)
        return self.named(name)


@dataclass
class Cluster:
    servers: list[AppServer]
    redis_url: str
    livekit: FakeLiveKit
    room_id: int
    users: list[tuple[int, str]]

    @property
    def db_path(self) -> Path:
        return Path(self.servers[0].env["DATA_DIR"]) / "distokoloshe.sqlite3"

    def sql(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db_path, timeout=20) as db:
            return db.execute(query, args).fetchall()

    def post(self, server: int, user: int, path: str, body: dict[str, Any]) -> requests.Response:
        token = self.users[user][1]
        return requests.post(
            f"{self.servers[server % len(self.servers)].url}{path}",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    def tap(self, *user_indexes: int) -> EventTap:
        tap = EventTap(self.redis_url, {self.users[i][0] for i in user_indexes})
        tap.start()
        return tap

    def rewind(self, table: str, row_id: int) -> None:
        """Moves a deadline into the past, as if the processes had slept through it."""
        past = (datetime.now(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
        self.sql(f"UPDATE {table} SET expires_at = ? WHERE id = ?", past, row_id)


@contextmanager
def cluster(processes: int, members: int) -> Iterator[Cluster]:
    with redis_server() as redis, running_fake_livekit() as livekit:
        env = {
            # The members vote over HTTP alone, with no event connection: they keep the room.
            "PRESENCE_UNCONNECTED_MEMBER_SECONDS": "600",
            "REDIS_URL": redis.url,
            "LIVEKIT_URL": livekit.url,
            "LIVEKIT_API_KEY": livekit.api_key,
            "LIVEKIT_API_SECRET": livekit.api_secret,
        }
        with app_servers(processes, extra_env=env) as servers:
            output = manage("shell", "-c", SETUP.format(count=members), env=servers[0].env)
            # Django 5.2's shell announces its automatic imports before our line.
            setup = json.loads(output.strip().splitlines()[-1])
            users = [(uid, token) for uid, token in setup["users"]]
            yield Cluster(servers, redis.url, livekit, setup["room"], users)


def _start_vote(c: Cluster, *, initiator: int, target: int, server: int = 0) -> int:
    response = c.post(
        server, initiator, "/api/votes", {"targetUserId": c.users[target][0], "durationSecs": 60}
    )
    assert response.status_code == 201, response.text
    return int(response.json()["vote"]["id"])


def test_fifty_racing_ballots_count_exactly_and_resolve_once():
    # 102 members: initiator (0), target (1), 100 other voters; 50 of them vote yes at once.
    # Eligible = 101, so the vote passes exactly when the 50th yes lands (51 > 50.5).
    with cluster(processes=2, members=102) as c:
        c.livekit.add_participant("Arena", "p1")
        tap = c.tap(0)
        vote_id = _start_vote(c, initiator=0, target=1)
        barrier = threading.Barrier(50)

        def ballot(voter: int) -> int:
            barrier.wait()
            return c.post(
                voter, voter, f"/api/votes/{vote_id}/ballot", {"voteYes": True}
            ).status_code

        with ThreadPoolExecutor(max_workers=50) as pool:
            statuses = list(pool.map(ballot, range(2, 52)))

        assert statuses == [200] * 50
        assert c.sql("SELECT yes_count, no_count, resolved, passed FROM moderation_vote") == [
            (51, 0, 1, 1)
        ]
        assert c.sql("SELECT COUNT(*) FROM moderation_ballot") == [(51,)]
        resolved = tap.wait_for("vote:resolved")
        started = tap.wait_for("punishment:started")
        time.sleep(1.0)  # both schedulers tick a few more times: nothing may fire again
        tap.stop()
        assert len(tap.named("vote:resolved")) == 1
        assert resolved[0]["yesCount"] == 51 and resolved[0]["passed"] is True
        assert sorted(b["yesCount"] for b in tap.named("vote:ballot_cast")) == list(range(2, 52))
        assert len(started) == 1 and "jailConnection" not in started[0]
        assert c.sql("SELECT COUNT(*) FROM moderation_punishment") == [(1,)]
        assert [r.identity for r in c.livekit.requests("RemoveParticipant")] == ["p1"]


def test_two_votes_started_at_once_give_one_201_and_one_409():
    with cluster(processes=2, members=6) as c:
        tap = c.tap(0)
        for round_ in range(3):
            barrier = threading.Barrier(2)

            def start(initiator: int, barrier: threading.Barrier = barrier) -> int:
                barrier.wait()
                target = 5 if initiator == 0 else 4
                body = {"targetUserId": c.users[target][0], "durationSecs": 60}
                return c.post(initiator, initiator, "/api/votes", body).status_code

            with ThreadPoolExecutor(max_workers=2) as pool:
                statuses = sorted(pool.map(start, [0, 1]))
            assert statuses == [201, 409]
            [(vote_id,)] = c.sql("SELECT id FROM moderation_vote WHERE resolved = 0")
            # The window ends: either process's scheduler resolves it, and only one of them.
            c.rewind("moderation_vote", vote_id)
            assert len(tap.wait_for("vote:resolved", count=round_ + 1)) == round_ + 1
        time.sleep(1.0)
        tap.stop()
        ids = [event["voteId"] for event in tap.named("vote:resolved")]
        assert len(ids) == len(set(ids)) == 3


def test_each_punishment_end_fires_once_across_two_processes():
    with cluster(processes=2, members=5) as c:
        tap = c.tap(0)
        vote_id = _start_vote(c, initiator=0, target=4)
        for voter in (1, 2):
            c.post(voter, voter, f"/api/votes/{vote_id}/ballot", {"voteYes": True})
        [(punishment_id,)] = c.sql("SELECT id FROM moderation_punishment WHERE active = 1")

        c.rewind("moderation_punishment", punishment_id)

        expired = tap.wait_for("punishment:expired")
        time.sleep(1.0)
        tap.stop()
        assert len(tap.named("punishment:expired")) == 1
        assert expired[0]["punishmentId"] == punishment_id
        assert c.sql("SELECT active FROM moderation_punishment") == [(0,)]


def test_a_vote_whose_window_passed_while_down_resolves_at_once_on_restart():
    with cluster(processes=1, members=4) as c:
        [server] = c.servers
        vote_id = _start_vote(c, initiator=0, target=3)
        server.kill()  # SIGKILL mid-vote: no clean-up of any kind
        c.rewind("moderation_vote", vote_id)
        time.sleep(0.5)
        assert c.sql("SELECT resolved FROM moderation_vote") == [(0,)]
        tap = c.tap(0)

        server.start()
        # The in-process scheduler starts with the server: no request is needed, and the vote
        # is resolved on its first tick, not at the end of some later window. Timed from the
        # server answering, since how long a loaded machine takes to start it says nothing.
        ready = time.monotonic()
        resolved = tap.wait_for("vote:resolved", timeout=30)
        took = time.monotonic() - ready
        time.sleep(1.0)
        tap.stop()

        assert len(tap.named("vote:resolved")) == 1, server.log_text()
        assert resolved[0]["voteId"] == vote_id and resolved[0]["passed"] is False
        assert took < 5
        assert c.sql("SELECT resolved, passed FROM moderation_vote") == [(1, 0)]
