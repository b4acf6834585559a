"""Joins, moves, leaves, whispers on and off and a room's deletion, all at once on PostgreSQL.

Two app server processes share a private PostgreSQL, where every membership change takes its
locks in the order of rooms.services.locks: joins into one room share its row, each whispers
chain has its own lock. Whatever interleaving the requests find, none may fail with a 500, no
deadlock may reach a user, and afterwards every chain is whole: positions 0..n-1, exactly the
room's members while the room is in whispers mode, none at all in normal mode (a chain falling
below two members ends whispers).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from .live import Cluster, Persona, call, deployment, http_session

pytestmark = pytest.mark.slow

ROUNDS = 6


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    # Every persona here joins far faster than a person would.
    with deployment("postgres", users=80, extra_env={"ROOM_JOIN_RATE": "100000/10s"}) as running:
        yield running


async def _room(http: Any, cluster: Cluster, owner: Persona, name: str) -> int:
    status, body = await call(http, cluster, "POST", "/api/rooms", owner, {"name": name})
    assert status == 201, body
    return int(body["room"]["id"])


async def _join(http: Any, cluster: Cluster, who: Persona, room: int, server: int = 0) -> int:
    status, body = await call(http, cluster, "POST", f"/api/rooms/{room}/join", who, None, server)
    assert status in (200, 404), (status, body)
    return status


async def _whispers(http: Any, cluster: Cluster, who: Persona, room: int, mode: str) -> int:
    status, body = await call(
        http, cluster, "POST", f"/api/rooms/{room}/mode", who, {"mode": mode}, server=1
    )
    # 400: fewer than two members at that moment; 403: the toggler was moved out; 404: gone.
    assert status in (200, 400, 403, 404), (status, body)
    return status


def _chains_whole(cluster: Cluster, rooms: list[int]) -> None:
    for room in rooms:
        found = cluster.sql("SELECT mode FROM rooms_room WHERE id = %s", room)
        links = cluster.sql(
            "SELECT user_id, position FROM rooms_whisperlink WHERE room_id = %s ORDER BY position",
            room,
        )
        members = {
            user
            for (user,) in cluster.sql(
                "SELECT user_id FROM rooms_membership WHERE room_id = %s", room
            )
        }
        if not found:
            assert links == [], f"room {room} is gone but kept its chain {links}"
            continue
        [(mode,)] = found
        assert [position for _, position in links] == list(range(len(links))), (room, links)
        if mode == "whispers":
            assert len(links) >= 2, f"room {room} in whispers with a chain of {len(links)}"
            assert {user for user, _ in links} == members, (room, links, members)
        else:
            assert links == [], f"room {room} in normal mode kept a chain {links}"


def _no_failure_logged(cluster: Cluster) -> None:
    logs = cluster.logs()
    assert "deadlock detected" not in logs, logs[-6000:]
    assert "Internal Server Error" not in logs, logs[-6000:]
    assert "Traceback" not in logs, logs[-6000:]


async def test_moves_between_two_whispers_rooms_while_whispers_toggles_stay_whole(cluster):
    people = cluster.take(24)
    owner, toggler_a, toggler_b, movers, stayers = (
        people[0],
        people[1],
        people[2],
        people[3:15],
        people[15:],
    )
    async with http_session() as http:
        room_a = await _room(http, cluster, owner, "Hall A")
        room_b = await _room(http, cluster, owner, "Hall B")
        for i, who in enumerate([toggler_a, *movers[:6], *stayers[:4]]):
            await _join(http, cluster, who, room_a, i)
        for i, who in enumerate([toggler_b, *movers[6:], *stayers[4:]]):
            await _join(http, cluster, who, room_b, i)
        assert await _whispers(http, cluster, toggler_a, room_a, "whispers") == 200
        assert await _whispers(http, cluster, toggler_b, room_b, "whispers") == 200

        async def mover(index: int, who: Persona) -> None:
            # Back and forth between the two rooms: each move leaves one chain and joins another.
            first, second = (room_b, room_a) if index < 6 else (room_a, room_b)
            for round_ in range(ROUNDS):
                await _join(http, cluster, who, first if round_ % 2 == 0 else second, index)

        async def toggler(who: Persona, room: int) -> None:
            # Off and on again, ending on: the moves that outlast it keep editing the chains.
            for round_ in range(ROUNDS):
                await _whispers(http, cluster, who, room, "whispers" if round_ % 2 else "normal")

        async def leaver(index: int, who: Persona) -> None:
            await asyncio.sleep(0.01 * index)
            room = room_a if index < 4 else room_b
            status, body = await call(http, cluster, "POST", f"/api/rooms/{room}/leave", who)
            assert status == 200, (status, body)

        await asyncio.gather(
            *(mover(i, who) for i, who in enumerate(movers)),
            toggler(toggler_a, room_a),
            toggler(toggler_b, room_b),
            *(leaver(i, who) for i, who in enumerate(stayers)),
        )

    _chains_whole(cluster, [room_a, room_b])
    _no_failure_logged(cluster)


async def test_joins_into_one_whispers_room_while_it_is_deleted_never_fail(cluster):
    people = cluster.take(40)
    owner, toggler, seated, joiners, elsewhere = (
        people[0],
        people[1],
        people[2:10],
        people[10:30],
        people[30:],
    )
    async with http_session() as http:
        doomed = await _room(http, cluster, owner, "Doomed")
        other = await _room(http, cluster, toggler, "Refuge")
        for i, who in enumerate([owner, toggler, *seated]):
            await _join(http, cluster, who, doomed, i)
        for i, who in enumerate(elsewhere):
            await _join(http, cluster, who, other, i)
        assert await _whispers(http, cluster, toggler, doomed, "whispers") == 200
        assert await _whispers(http, cluster, elsewhere[0], other, "whispers") == 200

        async def joiner(index: int, who: Persona) -> list[int]:
            # Twenty at once into the one room, then out to the other, then back.
            return [
                await _join(http, cluster, who, room, index) for room in (doomed, other, doomed)
            ]

        async def delete() -> int:
            await asyncio.sleep(0.05)
            status, body = await call(http, cluster, "DELETE", f"/api/rooms/{doomed}", owner)
            assert status == 200, (status, body)
            return status

        async def toggle() -> None:
            for round_ in range(ROUNDS):
                await _whispers(
                    http, cluster, toggler, doomed, "normal" if round_ % 2 else "whispers"
                )

        results, _ = await asyncio.gather(
            asyncio.gather(*(joiner(i, who) for i, who in enumerate(joiners))),
            asyncio.gather(delete(), toggle()),
        )

    statuses = Counter(s for result in results for s in result)
    # Every join either landed or found the room gone; the refuge always takes them.
    assert set(statuses) <= {200, 404}, statuses
    assert cluster.sql("SELECT COUNT(*) FROM rooms_room WHERE id = %s", doomed) == [(0,)]
    assert cluster.sql("SELECT COUNT(*) FROM rooms_membership WHERE room_id = %s", doomed) == [(0,)]
    _chains_whole(cluster, [doomed, other])
    _no_failure_logged(cluster)
