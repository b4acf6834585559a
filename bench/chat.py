"""A chat line to a room of 50: from writing `POST /api/chat/send` to `chat:message` at the last
of the room's 50 listeners.

Chatters c0..c49 sit in the room "Chat", each holding an event WebSocket. They take turns to
write (2.x's limit is one line a second and five in ten seconds per user, so one writer could
not be timed back to back), at most one line every PACE seconds, which keeps every chatter
well within it. A sample is the arrival at the slowest socket of the room, the writer's own
included: what the last person in the room waits for.
"""

from __future__ import annotations

import asyncio
import time
from functools import partial

from .stack import Stack
from .stats import Latency
from .workloads import (
    AnyListener,
    Arrivals,
    auth_headers,
    bounded,
    close_all,
    expect_json,
    http_session,
    open_listener,
    ws_session,
)

EVENT = "chat:message"
# 50 writers in turn, one line per PACE: each writes every 2.5 s, four in ten seconds.
PACE = 0.05
TIMEOUT = 10.0


async def chat_to_room(stack: Stack, *, iterations: int, seconds: float) -> Latency:
    """Latency to the last of the room's listeners, over up to `iterations` lines (fewer if
    `seconds` run out first)."""
    chatters = stack.seed["chatters"]
    stack.mark_online([user["id"] for user in chatters])
    arrivals = Arrivals()
    watch = {EVENT: arrivals}
    samples: list[float] = []
    async with ws_session() as sockets, http_session(limit=4) as http:
        calls = [
            partial(open_listener, sockets, stack.server(i), stack.events, user["token"], watch)
            for i, user in enumerate(chatters)
        ]
        listeners: list[AnyListener] = await bounded(calls, 16)
        url = f"{stack.server(0).url}/api/chat/send"
        until = time.monotonic() + seconds
        for index in range(iterations):
            writer = chatters[index % len(chatters)]
            for listener in listeners:
                listener.seen[EVENT].clear()
            arrivals.reset(len(listeners))
            sent = time.perf_counter()
            body = {"text": f"line {index}"}
            async with http.post(url, json=body, headers=auth_headers(writer["token"])) as reply:
                await expect_json(reply, 200)
            if not await arrivals.wait(TIMEOUT):
                raise RuntimeError(f"{EVENT} reached {arrivals.count} of {len(listeners)}")
            samples.append(max(x.seen[EVENT][0][0] for x in listeners) - sent)
            await asyncio.sleep(max(0.0, PACE - (time.perf_counter() - sent)))
            if time.monotonic() > until:
                break
        await close_all(listeners)
    return Latency.of(samples)
