"""The SFU's own view and controls, through LiveKit's room service, for the real-call tests: what
it says each participant publishes, and asking it to subscribe someone to tracks (as a modified
client, or a confused server, might)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from livekit import api

T = TypeVar("T")


def _run(env: dict[str, str], sfu_url: str, call: Callable[[api.LiveKitAPI], Awaitable[T]]) -> T:
    async def session() -> T:
        async with api.LiveKitAPI(
            sfu_url, env["LIVEKIT_API_KEY"], env["LIVEKIT_API_SECRET"]
        ) as client:
            return await call(client)

    # Playwright's sync API keeps an event loop running on this thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, session()).result(timeout=20)


def audio_tracks(sfu_url: str, env: dict[str, str], room: str) -> dict[str, list[str]]:
    """Each participant's published audio track sids, as the SFU lists them."""

    async def listed(client: api.LiveKitAPI) -> dict[str, list[str]]:
        reply = await client.room.list_participants(api.ListParticipantsRequest(room=room))
        return {
            p.identity: [t.sid for t in p.tracks if t.type == api.TrackType.AUDIO]
            for p in reply.participants
        }

    return _run(env, sfu_url, listed)


def force_subscribe(
    sfu_url: str, env: dict[str, str], room: str, identity: str, track_sids: list[str]
) -> None:
    """Asks the SFU to subscribe `identity` to `track_sids`, whatever its page wants."""

    async def subscribe(client: api.LiveKitAPI) -> None:
        request = api.UpdateSubscriptionsRequest(
            room=room, identity=identity, track_sids=track_sids, subscribe=True
        )
        await client.room.update_subscriptions(request)

    _run(env, sfu_url, subscribe)
