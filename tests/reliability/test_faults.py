"""Faults: app processes SIGKILLed mid-vote, with clients connected, then restarted; presence and
deadlines converge as promised, on SQLite and on PostgreSQL.

moderation/tests/test_processes.py restarts a lone SQLite process killed mid-vote; here a
survivor carries on while its peer is dead, and a jail's end passes while every process is down.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from .live import Cluster, Persona, Socket, call, deployment, http_session, open_socket

pytestmark = pytest.mark.slow

# Reaped after 3 s of silence, then 1 s of grace, within a few scheduler ticks.
CONVERGE_SECONDS = 15


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    with deployment(request.param) as running:
        yield running


async def _room_of(http, cluster: Cluster, name: str, people: list[Persona]) -> int:
    status, body = await call(http, cluster, "POST", "/api/rooms", people[0], {"name": name})
    assert status == 201, body
    for who in people:
        status, body = await call(
            http, cluster, "POST", f"/api/rooms/{body['room']['id']}/join", who
        )
        assert status == 200, body
    return int(body["room"]["id"])


async def _gone(watcher: Socket, who: Persona, room: int) -> None:
    left = await watcher.wait_for("user:room_leave", wait=CONVERGE_SECONDS, user=who.ref)
    offline = await watcher.wait_for("user:offline", wait=5, user=who.ref)
    assert left == [{"user": who.ref, "roomId": room}], who
    assert offline == [{"user": who.ref}], who


async def test_sigkill_of_one_process_mid_vote_with_clients_converges(cluster):
    initiator, voter, target, bystander, watcher_user = cluster.take(5)
    b = cluster.servers[1]
    async with http_session() as http:
        room = await _room_of(http, cluster, "Courtroom", [initiator, voter, target, bystander])
        watcher = await open_socket(http, cluster, watcher_user, server=0)
        judge = await open_socket(http, cluster, initiator, server=0)
        doomed = [
            await open_socket(http, cluster, who, server=1) for who in (voter, target, bystander)
        ]
        body = {"targetUserId": target.id, "durationSecs": 60}
        status, started = await call(http, cluster, "POST", "/api/votes", initiator, body)
        assert status == 201, started
        vote = started["vote"]["id"]

        b.kill()
        killed = time.monotonic()
        for who in (voter, target, bystander):
            await _gone(watcher, who, room)
        assert time.monotonic() - killed < CONVERGE_SECONDS
        # The survivor's scheduler resolves the vote at its deadline, once.
        cluster.rewind("moderation_vote", vote)
        resolved = await judge.wait_for("vote:resolved", wait=10)
        await asyncio.sleep(0.5)
        await judge.drain()
        assert len(judge.named("vote:resolved")) == 1
        assert resolved[0]["voteId"] == vote and resolved[0]["passed"] is False

        b.start()
        back = await open_socket(http, cluster, voter, server=1)
        for sock in (watcher, judge, back, *doomed):
            await sock.close()

    # The reconnecting client's snapshot is the converged truth: no open vote, the room holds
    # only the member whose connection survived, and the dead process left nothing behind.
    assert back.hello["votes"] == []
    assert [m["id"] for m in back.hello["members"][str(room)]] == [initiator.id]
    assert {u["id"] for u in back.hello["online"]} >= {initiator.id, voter.id, watcher_user.id}
    assert target.id not in {u["id"] for u in back.hello["online"]}
    assert cluster.sql(
        "SELECT COUNT(*) FROM presence_connection WHERE user_id IN (%s, %s)",
        target.id,
        bystander.id,
    ) == [(0,)]


async def test_a_jail_that_ends_while_every_process_is_down_expires_once_on_restart(cluster):
    initiator, voter, target, watcher_user = cluster.take(4)
    async with http_session() as http:
        room = await _room_of(http, cluster, "Dungeon", [initiator, voter, target])
        target_socket = await open_socket(http, cluster, target, server=1)
        body = {"targetUserId": target.id, "durationSecs": 60}
        _, started = await call(http, cluster, "POST", "/api/votes", initiator, body)
        ballot = {"voteYes": True}
        vote_path = f"/api/votes/{started['vote']['id']}/ballot"
        assert (await call(http, cluster, "POST", vote_path, voter, ballot, server=1))[0] == 200
        jailed = await target_socket.wait_for("punishment:started")
        punishment = jailed[0]["punishment"]["id"]

        for server in cluster.servers:
            server.kill()
        cluster.rewind("moderation_punishment", punishment)
        for server in cluster.servers:
            server.start()
        # Each scheduler starts with its server: the jail may end, and the reaper take the
        # target's dead socket away, before anyone is back to hear it.
        watcher = await open_socket(http, cluster, watcher_user, server=0)

        expired = await _heard_or_known(watcher, "punishment:expired", punishment)
        # The target's socket died with its process: they go offline once the reaper sees it.
        await _gone_or_absent(watcher, target, (await _jail_of(cluster, punishment)))
        await asyncio.sleep(1.0)
        await watcher.drain()
        rejoined = await call(http, cluster, "POST", f"/api/rooms/{room}/join", target)
        active = await call(http, cluster, "GET", "/api/punishments/active", target)
        await watcher.close()
        await target_socket.close()

    assert len(watcher.named("punishment:expired")) <= 1
    assert expired in ([], [{"punishmentId": punishment, "sourceRoomId": room}])
    assert cluster.sql("SELECT active FROM moderation_punishment WHERE id = %s", punishment) == [
        (False,)
    ]
    assert rejoined[0] == 200
    assert active == (200, {"punishments": []})


async def _heard_or_known(watcher: Socket, name: str, punishment: int) -> list[dict[str, int]]:
    """`punishment:expired` as heard, or [] if the snapshot already shows it ended."""
    if all(p["id"] != punishment for p in watcher.hello["punishments"]):
        return []
    heard = await watcher.wait_for(name, wait=10)
    return [{"punishmentId": e["punishmentId"], "sourceRoomId": e["sourceRoomId"]} for e in heard]


async def _gone_or_absent(watcher: Socket, who: Persona, room: int) -> None:
    online = {user["id"] for user in watcher.hello["online"]}
    members = {user["id"] for user in watcher.hello["members"].get(str(room), [])}
    if who.id not in online and who.id not in members:
        return
    await _gone(watcher, who, room)


async def _jail_of(cluster: Cluster, punishment: int) -> int:
    [(jail,)] = cluster.sql(
        "SELECT jail_room_id FROM moderation_punishment WHERE id = %s", punishment
    )
    return int(jail)
