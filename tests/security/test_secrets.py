"""No user's LiveKit token or E2EE key ever reaches anyone else, and no secret reaches a log.

Every frame that bystanders receive during a whole jail (vote, ballot, jail, lift, return) on
both transports, the snapshot a socket gets meanwhile, and the reads they may make, are
searched for tokens and keys; then the servers' logs (at DEBUG) are searched for every secret
that passed through them.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import re
from typing import Any

import aiohttp
import jwt
import pytest

from harness.servers import TEST_SECRETS
from tests.reliability.live import (
    PASSWORD,
    Cluster,
    browser_login,
    call,
    http_session,
    open_socket,
)

pytestmark = pytest.mark.slow

JWT = re.compile(r"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+")


def e2ee_key(room_name: str) -> str:
    secret = TEST_SECRETS["E2EE_SECRET"].encode()
    return base64.b64encode(hmac.new(secret, room_name.encode(), hashlib.sha256).digest()).decode()


async def _stream(http: aiohttp.ClientSession, url: str, sink: list[str]) -> None:
    async with http.get(url) as response:
        assert response.status == 200
        async for chunk in response.content.iter_any():
            sink.append(chunk.decode())


async def test_bystanders_never_receive_another_users_livekit_token_or_key(cluster: Cluster):
    initiator, voter, target, bystander, outsider = cluster.take(5)
    async with http_session() as http:
        sse: list[str] = []
        stream = asyncio.ensure_future(
            _stream(http, f"{cluster.url(1)}/api/events?token={outsider.token}", sse)
        )
        sockets = {
            who.username: await open_socket(http, cluster, who, server=i)
            for i, who in enumerate((initiator, voter, target, bystander))
        }
        _, created = await call(http, cluster, "POST", "/api/rooms", initiator, {"name": "Vault"})
        room = created["room"]
        grants = {}
        for who in (initiator, voter, target, bystander):
            status, grants[who.username] = await call(
                http, cluster, "POST", f"/api/rooms/{room['id']}/join", who
            )
            assert status == 200
        body = {"targetUserId": target.id, "durationSecs": 60}
        _, vote = await call(http, cluster, "POST", "/api/votes", initiator, body)
        ballot = f"/api/votes/{vote['vote']['id']}/ballot"
        assert (await call(http, cluster, "POST", ballot, voter, {"voteYes": True}))[0] == 200
        mine = await sockets[target.username].wait_for("punishment:started")
        punishment = mine[0]["punishment"]
        for who in (initiator, voter, bystander):
            await sockets[who.username].wait_for("punishment:started")
        # A socket opening mid-jail, and what a bystander may read meanwhile.
        late = await open_socket(http, cluster, bystander, server=1)
        reads = [
            await call(http, cluster, "GET", path, bystander)
            for path in (
                "/api/punishments/active",
                f"/api/rooms/{room['id']}/punishments",
                "/api/rooms",
                "/api/rooms/members",
                "/api/users",
            )
        ]
        lift = f"/api/punishments/{punishment['id']}/lift"
        assert (await call(http, cluster, "POST", lift, initiator))[0] == 200
        assert (await call(http, cluster, "POST", f"/api/rooms/{room['id']}/join", target))[
            0
        ] == 200
        for sock in (*sockets.values(), late):
            await sock.wait_for("punishment:lifted")
            await sock.drain()
            await sock.close()
        stream.cancel()

    jail_connection = mine[0]["jailConnection"]
    jail_name = punishment["jailRoomName"]
    secrets = {
        jail_connection["token"],
        jail_connection["e2eeKey"],
        e2ee_key(jail_name),
        *(grant["token"] for grant in grants.values()),
        *(grant["e2eeKey"] for grant in grants.values()),
    }
    # The target alone got the jail's credentials, minted for them and that room only.
    claims = jwt.decode(jail_connection["token"], options={"verify_signature": False})
    assert claims["sub"] == target.username and claims["video"]["room"] == jail_name
    assert jail_connection["e2eeKey"] == e2ee_key(jail_name)
    seen_by_others: list[tuple[str, Any]] = [
        *((name, raw) for name, s in sockets.items() if name != target.username for raw in s.raw),
        *(("late", raw) for raw in late.raw),
        ("late hello", json.dumps(late.hello)),
        ("sse", "".join(sse)),
        *(("read", json.dumps(body)) for _, body in reads),
    ]
    assert any("punishment:started" in text for _, text in seen_by_others)
    for seer, text in seen_by_others:
        assert "jailConnection" not in text, seer
        assert not JWT.search(text), (seer, JWT.search(text))
        assert not any(secret in text for secret in secrets), seer
    # Not even the target's own later frames repeat it: it was sent once, to them.
    target_frames = "".join(sockets[target.username].raw)
    assert target_frames.count(jail_connection["token"]) == 1


async def test_tokens_keys_passwords_and_secrets_never_reach_the_logs(cluster: Cluster):
    username = "log_probe"
    password = "a secret pass phrase 7"
    address = cluster.address()
    jar = aiohttp.CookieJar(unsafe=True)
    async with http_session() as http, aiohttp.ClientSession(cookie_jar=jar) as browser:
        body = {"username": username, "display_name": "Log Probe", "password": password}
        status, registered = await call(
            http, cluster, "POST", "/api/auth/register", None, body, headers=address
        )
        assert status == 201, registered
        body = {"username": username, "password": password}
        _, logged_in = await call(http, cluster, "POST", "/api/auth/login", None, body, 1, address)
        token = logged_in["token"]
        auth = {"Authorization": f"Bearer {token}"}
        _, rooms = await call(http, cluster, "GET", "/api/rooms", None, headers=auth)
        _, grant = await call(
            http, cluster, "POST", f"/api/rooms/{rooms['rooms'][0]['id']}/join", None, None, 1, auth
        )
        async with http.get(f"{cluster.url()}/api/events?token={token}") as stream:
            assert stream.status == 200
            await stream.content.readexactly(5)
        async with http.get(f"{cluster.url(1)}/api/events?token={token}x") as refused:
            assert refused.status == 401
        ws = await http.ws_connect(f"{cluster.ws_url(1)}/ws/events", headers=auth)
        await ws.receive(timeout=10)
        await ws.close()
        cookies = await browser_login(browser, cluster, "login_user", PASSWORD)
        async with browser.get(f"{cluster.url()}/api/auth/me") as me:
            assert me.status == 200
        await asyncio.sleep(1.0)

    logs = cluster.logs()
    assert "/api/events?token=[redacted]" in logs  # the stream's request line was logged
    needles = {
        "bearer token": token,
        "bearer signature": token.rsplit(".", 1)[1],
        "registered token": registered["token"],
        "LiveKit token": grant["token"],
        "LiveKit signature": grant["token"].rsplit(".", 1)[1],
        "E2EE key": grant["e2eeKey"],
        "password": password,
        "persona password": PASSWORD,
        "session cookie": cookies["sessionid"],
        "CSRF cookie": cookies["csrftoken"],
        "LiveKit API secret": cluster.livekit.api_secret,
        **{name: value for name, value in TEST_SECRETS.items() if len(value) > 12},
    }
    leaked = [name for name, value in needles.items() if value in logs]
    lines = [line for line in logs.splitlines() if any(v in line for v in needles.values())]
    assert leaked == [], lines[:5]
