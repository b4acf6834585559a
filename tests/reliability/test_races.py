"""Races between real clients on two app server processes sharing Redis, on SQLite and PostgreSQL.

What moderation/tests/test_processes.py already proves on SQLite (50 racing ballots, two votes
started at once) is proved here on PostgreSQL; room creation and joins race on both databases.
Every request is sent at once over its own connection, spread over both processes.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator

import pytest

from .live import Cluster, Persona, call, deployment, http_session, open_socket

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    with deployment(request.param, users=200) as running:
        yield running


async def test_one_room_name_created_at_once_gives_one_201_and_the_rest_409(cluster):
    creators = cluster.take(20)
    async with http_session() as http:
        watcher = await open_socket(http, cluster, cluster.take(1)[0])
        results = await asyncio.gather(
            *(
                call(http, cluster, "POST", "/api/rooms", who, {"name": "Contested"}, server=i)
                for i, who in enumerate(creators)
            )
        )
        created = await watcher.wait_for("room:created", wait=3)
        await watcher.drain()
        await watcher.close()

    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 1, 409: 19}
    assert {body["error"] for status, body in results if status == 409} == {
        "A room with that name already exists"
    }
    [(count,)] = cluster.sql("SELECT COUNT(*) FROM rooms_room WHERE name = %s", "Contested")
    assert count == 1
    announced = [e for e in watcher.named("room:created") if e["room"]["name"] == "Contested"]
    assert len(created) >= 1 and len(announced) == 1


async def test_simultaneous_joins_leave_everyone_in_exactly_one_room(cluster):
    owner, *joiners = cluster.take(25)
    async with http_session() as http:
        rooms = []
        for name in ("Race A", "Race B", "Race C"):
            status, body = await call(http, cluster, "POST", "/api/rooms", owner, {"name": name})
            assert status == 201, body
            rooms.append(body["room"]["id"])
        watcher = await open_socket(http, cluster, owner, server=1)
        # Every joiner asks for all three rooms at once: 72 joins in flight together.
        requests = [
            call(http, cluster, "POST", f"/api/rooms/{room}/join", who, server=i + j)
            for i, who in enumerate(joiners)
            for j, room in enumerate(rooms)
        ]
        results = await asyncio.gather(*requests)
        await watcher.wait_for("user:room_join", count=len(requests), wait=10)
        await watcher.drain()
        fresh = await open_socket(http, cluster, cluster.take(1)[0])
        await watcher.close()
        await fresh.close()

    assert [status for status, _ in results] == [200] * len(requests), cluster.logs()[-6000:]
    ids = [who.id for who in joiners]
    placeholders = ",".join(["%s"] * len(ids))
    memberships = dict(
        cluster.sql(
            f"SELECT user_id, room_id FROM rooms_membership WHERE user_id IN ({placeholders})",
            *ids,
        )
    )
    last_rooms = dict(
        cluster.sql(
            f"SELECT id, last_room_id FROM accounts_user WHERE id IN ({placeholders})",
            *ids,
        )
    )
    # One membership each (the table allows no second), in a room they asked for, matching
    # the last room remembered in the same transaction.
    assert sorted(memberships) == sorted(ids)
    assert set(memberships.values()) <= set(rooms)
    assert last_rooms == memberships
    # Every successful join was announced exactly once, none twice, none lost.
    joins = Counter(e["user"]["id"] for e in watcher.named("user:room_join"))
    assert {user_id: joins[user_id] for user_id in ids} == dict.fromkeys(ids, 3)
    leaves = Counter(e["user"]["id"] for e in watcher.named("user:room_leave"))
    assert all(leaves[user_id] <= 2 for user_id in ids)
    # A client connecting afterwards gets the truth, each member listed once.
    snapshot = {
        member["id"]: int(room)
        for room, members in fresh.hello["members"].items()
        for member in members
        if member["id"] in memberships
    }
    listed = [m["id"] for members in fresh.hello["members"].values() for m in members]
    assert snapshot == memberships
    assert len(listed) == len(set(listed))


async def _seat(http, cluster: Cluster, members: list[Persona], room_name: str) -> int:
    status, body = await call(http, cluster, "POST", "/api/rooms", members[0], {"name": room_name})
    assert status == 201, body
    room = body["room"]["id"]
    for chunk in range(0, len(members), 20):
        seated = await asyncio.gather(
            *(
                call(http, cluster, "POST", f"/api/rooms/{room}/join", who, server=i)
                for i, who in enumerate(members[chunk : chunk + 20])
            )
        )
        assert {status for status, _ in seated} == {200}
    return int(room)


# On SQLite, moderation/tests/test_processes.py races the same ballots.
@pytest.mark.parametrize("cluster", ["postgres"], indirect=True)
async def test_fifty_racing_ballots_count_exactly_and_resolve_once_on_postgres(cluster):
    # 102 members: initiator, target and 100 others, 50 of whom vote yes at once. Eligible is
    # 101, so the vote passes exactly when the 50th yes lands (51 > 50.5).
    members = cluster.take(102)
    initiator, target, voters = members[0], members[1], members[2:52]
    async with http_session() as http:
        await _seat(http, cluster, members, "Arena")
        watcher = await open_socket(http, cluster, initiator)
        status, body = await call(
            http,
            cluster,
            "POST",
            "/api/votes",
            initiator,
            {"targetUserId": target.id, "durationSecs": 60},
        )
        assert status == 201, body
        vote = body["vote"]["id"]
        results = await asyncio.gather(
            *(
                call(http, cluster, "POST", f"/api/votes/{vote}/ballot", who, {"voteYes": True}, i)
                for i, who in enumerate(voters)
            )
        )
        resolved = await watcher.wait_for("vote:resolved", voteId=vote)
        await watcher.wait_for("punishment:started")
        await asyncio.sleep(1.0)  # both schedulers tick again: nothing may fire twice
        await watcher.drain()
        await watcher.close()

    assert [status for status, _ in results] == [200] * 50
    assert sorted(body["yesCount"] for _, body in results) == list(range(2, 52))
    assert cluster.sql(
        "SELECT yes_count, no_count, resolved, passed FROM moderation_vote WHERE id = %s", vote
    ) == [(51, 0, True, True)]
    assert cluster.sql("SELECT COUNT(*) FROM moderation_ballot WHERE vote_id = %s", vote) == [(51,)]
    assert len(watcher.named("vote:resolved")) == 1 and resolved[0]["passed"] is True
    assert len(watcher.named("punishment:started")) == 1
    assert cluster.sql(
        "SELECT COUNT(*) FROM moderation_punishment WHERE target_id = %s", target.id
    ) == [(1,)]
