"""The deciding ballot: from writing it to `vote:resolved` at every member of a room of three.

v0 (the room's creator) starts a vote on v2, with v0's own yes counted; eligible voters are v0
and v1, so v1's ballot decides. Each of the three members holds an event WebSocket. Two
variants: v1 votes no (the vote fails at once: nothing else happens), and v1 votes yes (the
vote passes and v2 is jailed in the same transaction; v0 then lifts the punishment and v2
rejoins, outside the measurement, so the next round starts from the same state).
"""

from __future__ import annotations

import json
import time
from typing import Any

from .stack import Stack
from .stats import Latency
from .workloads import (
    AnyListener,
    Arrivals,
    auth_headers,
    close_all,
    expect_json,
    http_session,
    open_listener,
    ws_session,
)

TIMEOUT = 10.0


async def deciding_ballot(
    stack: Stack, *, passing: bool, iterations: int, seconds: float
) -> Latency:
    """Latencies of `vote:resolved` at each of the three members, over up to `iterations`
    votes (fewer if `seconds` run out first)."""
    room = stack.seed["rooms"]["tribunal"]
    v0, v1, v2 = stack.seed["tribunal"]
    started_at, resolved_at, jailed_at = Arrivals(), Arrivals(), Arrivals()
    watch = {"vote:started": started_at, "vote:resolved": resolved_at}
    watch["punishment:started"] = jailed_at
    samples: list[float] = []
    async with ws_session() as sockets, http_session(limit=4) as http:
        members: list[AnyListener] = [
            await open_listener(sockets, stack.server(i), stack.events, user["token"], watch)
            for i, user in enumerate((v0, v1, v2))
        ]

        async def post(user: dict[str, Any], path: str, body: Any, status: int) -> dict[str, Any]:
            url = f"{stack.server(0).url}{path}"
            async with http.post(url, json=body, headers=auth_headers(user["token"])) as r:
                return await expect_json(r, status)

        # 1.x keeps who is in which room with the connected streams, and on ours a clean close
        # is a leave (an earlier run's members left): members join once connected, as clients do.
        for user in (v0, v1, v2):
            await post(user, f"/api/rooms/{room}/join", None, 200)

        until = time.monotonic() + seconds
        for _ in range(iterations):
            for member in members:
                for seen in member.seen.values():
                    seen.clear()
            started_at.reset(3)
            vote = await post(v0, "/api/votes", {"targetUserId": v2["id"], "durationSecs": 60}, 201)
            await _arrived(started_at, "vote:started")
            resolved_at.reset(3)
            jailed_at.reset(3)
            sent = time.perf_counter()
            ballot = {"voteYes": passing}
            await post(v1, f"/api/votes/{vote['vote']['id']}/ballot", ballot, 200)
            await _arrived(resolved_at, "vote:resolved")
            samples += [m.seen["vote:resolved"][0][0] - sent for m in members]
            if passing:
                await _arrived(jailed_at, "punishment:started")
                frame = json.loads(members[0].seen["punishment:started"][0][1])
                punishment = frame["data"]["punishment"]["id"]
                await post(v0, f"/api/punishments/{punishment}/lift", None, 200)
                await post(v2, f"/api/rooms/{room}/join", None, 200)
            if time.monotonic() > until:
                break
        await close_all(members)
    return Latency.of(samples)


async def _arrived(arrivals: Arrivals, name: str) -> None:
    if not await arrivals.wait(TIMEOUT):
        raise RuntimeError(f"{name} reached {arrivals.count} of {arrivals.expected} members")
