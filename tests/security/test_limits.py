"""Limits hold when one client comes at once over many connections, spread over two processes:
the login and registration rate limits (counted in the shared Redis) and the per-user cap
on realtime connections."""

from __future__ import annotations

import asyncio
from collections import Counter

import aiohttp
import pytest

from tests.reliability.live import Cluster, call, http_session

pytestmark = pytest.mark.slow


async def test_forty_logins_at_once_from_one_address_let_exactly_twenty_through(cluster: Cluster):
    address = cluster.address()
    # A username each, so that only the address limit speaks (accounts have their own).
    bodies = [{"username": f"nobody_{i}", "password": "wrong password"} for i in range(41)]
    async with http_session() as http:
        results = await asyncio.gather(
            *(
                call(http, cluster, "POST", "/api/auth/login", None, bodies[i], i, address)
                for i in range(40)
            )
        )
        # Another address is untouched by this one's exhausted bucket.
        other = await call(
            http, cluster, "POST", "/api/auth/login", None, bodies[40], headers=cluster.address()
        )

    assert Counter(status for status, _ in results) == {401: 20, 429: 20}
    assert {body["error"].partition(" (in ")[0] for status, body in results if status == 429} == {
        "Too many attempts, please try again later"
    }
    assert other == (401, {"error": "Invalid credentials"})


async def test_twelve_accounts_at_once_from_one_address_let_exactly_ten_through(cluster):
    address = cluster.address()
    async with http_session() as http:
        results = await asyncio.gather(
            *(
                call(
                    http,
                    cluster,
                    "POST",
                    "/api/auth/register",
                    None,
                    {"username": f"burst_{i}", "display_name": "Burst", "password": "long enough"},
                    i,
                    address,
                )
                for i in range(12)
            )
        )
    # Only accounts made count (REGISTER_RATE, 10 an hour), and each attempt holds its use
    # while it runs, so attempts at once cannot slip past the limit together.
    assert Counter(status for status, _ in results) == {201: 10, 429: 2}
    assert {body["error"].partition(" (in ")[0] for status, body in results if status == 429} == {
        "Too many registrations, please try again later"
    }


async def test_ten_sockets_of_one_user_at_once_leave_exactly_three_open(cluster: Cluster):
    [user] = cluster.take(1)

    async def attempt(http: aiohttp.ClientSession, index: int) -> tuple[str, object]:
        ws = await http.ws_connect(f"{cluster.ws_url(index)}/ws/events", headers=user.auth)
        first = await ws.receive(timeout=15)
        if first.type == aiohttp.WSMsgType.TEXT and first.data.startswith('{"type":"hello"'):
            return "open", ws
        return "refused", ws.close_code

    async with http_session() as http:
        outcomes = await asyncio.gather(*(attempt(http, i) for i in range(10)))
        opened = [ws for kind, ws in outcomes if kind == "open"]
        refused = [code for kind, code in outcomes if kind == "refused"]
        held = cluster.sql("SELECT COUNT(*) FROM presence_connection WHERE user_id = %s", user.id)
        for ws in opened:
            await ws.close()  # type: ignore[attr-defined]

    assert len(opened) == 3
    assert refused == [4429] * 7
    assert held == [(3,)]
