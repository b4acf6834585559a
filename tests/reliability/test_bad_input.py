"""Bad input on every transport of a live server (the app server, embedded defaults): malformed and
oversized JSON, wrong types in every field, garbage and oversized WebSocket frames, garbage on
the event stream and on the raw socket. Each gets a clear 4xx (or error frame), writes nothing,
and the server stays healthy for everyone else.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from distokoloshe.serve import MAX_CLIENT_MESSAGE

from .live import PASSWORD, Cluster, Persona, call, deployment, http_session, open_socket

pytestmark = pytest.mark.slow

TABLES = (
    "accounts_user",
    "rooms_room",
    "rooms_membership",
    "rooms_whisperlink",
    "moderation_vote",
    "moderation_ballot",
    "moderation_punishment",
)
TARGET = "<the target's id>"
WRONG: list[Any] = [None, True, False, 0, -1, 1.5, "", "x" * 3000, [], ["video"], {}, {"a": 1}]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with deployment("sqlite", processes=1) as running:
        yield running


def counts(cluster: Cluster) -> dict[str, int]:
    return {t: cluster.sql(f"SELECT COUNT(*) FROM {t}")[0][0] for t in TABLES}


async def healthy(http: aiohttp.ClientSession, cluster: Cluster) -> None:
    assert await call(http, cluster, "GET", "/api/health") == (200, {"status": "ok"})


async def raw_post(
    http: aiohttp.ClientSession, cluster: Cluster, path: str, who: Persona, data: Any
) -> tuple[int, Any]:
    headers = {**who.auth, **cluster.address(), "Content-Type": "application/json"}
    async with http.post(f"{cluster.url()}{path}", data=data, headers=headers) as response:
        return response.status, await response.json(content_type=None)


@pytest.fixture(scope="module")
def scene(cluster: Cluster) -> dict[str, Any]:
    """Where valid requests would change something: in "Typed", `member` could start a vote on
    `target` and switch the mode; in "Typed Vote", `voter`'s ballot would decide `vote`."""

    async def build() -> dict[str, Any]:
        member, other, target, owner, voter, accused = cluster.take(6)
        async with http_session() as http:
            rooms = []
            for name, people in (
                ("Typed", (member, other, target)),
                ("Typed Vote", (owner, voter, accused)),
            ):
                _, body = await call(http, cluster, "POST", "/api/rooms", people[0], {"name": name})
                rooms.append(body["room"]["id"])
                for who in people:
                    joined = await call(http, cluster, "POST", f"/api/rooms/{rooms[-1]}/join", who)
                    assert joined[0] == 200, joined
            body = {"targetUserId": accused.id, "durationSecs": 60}
            status, vote = await call(http, cluster, "POST", "/api/votes", owner, body)
            assert status == 201, vote
        return {
            "room": rooms[0],
            "vote": vote["vote"]["id"],
            "member": member,
            "voter": voter,
            "target": target.id,
        }

    return asyncio.run(build())


BODY_ENDPOINTS = [
    "/api/auth/register",
    "/api/auth/login",
    "/api/rooms",
    "/api/rooms/{room}/mode",
    "/api/votes",
    "/api/votes/{vote}/ballot",
]
ALL_POSTS = [
    *BODY_ENDPOINTS,
    "/api/rooms/{room}/join",
    "/api/rooms/{room}/leave",
    "/api/punishments/1/lift",
    "/api/livekit/webhook",
]


@pytest.mark.parametrize(
    "data",
    ["{nope", "[" * 3000, b'{"name": "\xff\xfe"}', '{"name": "a"} trailing'],
    ids=["malformed", "deeply-nested", "not-utf8", "trailing-garbage"],
)
@pytest.mark.parametrize("path", BODY_ENDPOINTS)
async def test_malformed_json_is_a_400_and_writes_nothing(cluster, scene, path, data):
    before = counts(cluster)
    async with http_session() as http:
        status, body = await raw_post(http, cluster, path.format(**scene), scene["member"], data)
        await healthy(http, cluster)

    assert (status, body) == (400, {"error": "Malformed JSON body"})
    assert counts(cluster) == before


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("path", ALL_POSTS)
async def test_bodies_over_16_kb_are_refused_and_write_nothing(cluster, scene, path, chunked):
    payload = json.dumps({"name": "Huge", "pad": "x" * 17 * 1024}).encode()

    async def stream() -> Any:
        for start in range(0, len(payload), 4096):
            yield payload[start : start + 4096]

    before = counts(cluster)
    async with http_session() as http:
        data = stream() if chunked else payload
        status, body = await raw_post(http, cluster, path.format(**scene), scene["member"], data)
        await healthy(http, cluster)

    assert (status, body) == (413, {"error": "Request body too large"})
    assert counts(cluster) == before


def _typed_cases() -> list[tuple[str, str, dict[str, Any]]]:
    valid: dict[str, dict[str, Any]] = {
        "/api/auth/register": {"username": "typed_u", "display_name": "T", "password": PASSWORD},
        "/api/auth/login": {"username": "login_user", "password": PASSWORD},
        "/api/rooms": {"name": "Typed Room", "type": "voice"},
        "/api/rooms/{room}/mode": {"mode": "normal"},
        "/api/votes": {"targetUserId": TARGET, "durationSecs": 60},
        "/api/votes/{vote}/ballot": {"voteYes": True},
    }
    return [
        (path, name, {**base, name: wrong})
        for path, base in valid.items()
        for name in base
        for wrong in WRONG
        # voteYes takes either boolean; every other field refuses them.
        if not (isinstance(base[name], bool) and isinstance(wrong, bool))
    ]


@pytest.mark.parametrize(("path", "field", "body"), _typed_cases())
async def test_wrong_types_in_every_field_are_refused_and_write_nothing(
    cluster, scene, path, field, body
):
    caller = scene["voter"] if "ballot" in path else scene["member"]
    body = {k: scene["target"] if v == TARGET else v for k, v in body.items()}
    before = counts(cluster)
    async with http_session() as http:
        status, answer = await raw_post(
            http, cluster, path.format(**scene), caller, json.dumps(body).encode()
        )
        await healthy(http, cluster)
    after = counts(cluster)

    if path == "/api/rooms" and field == "type" and status == 201:
        # 1.x: anything but exactly "video" silently makes a voice room.
        assert answer["room"]["type"] == "voice"
        assert after == {**before, "rooms_room": before["rooms_room"] + 1}
        return
    assert 400 <= status < 500, answer
    assert isinstance(answer, dict) and isinstance(answer.get("error"), str), answer
    assert after == before


async def test_garbage_websocket_frames_get_an_error_and_the_socket_lives_on(cluster, scene):
    listener, creator = cluster.take(2)
    async with http_session() as http:
        sock = await open_socket(http, cluster, listener)
        for frame, error in [
            ("not json", "Invalid JSON"),
            ("[" * 3000, "Invalid JSON"),
            ("\x00\x01\x02", "Invalid JSON"),
            ('{"type": "subscribe", "room": 1}', "Unknown message type"),
            ('{"type": 42}', "Unknown message type"),
            ('"ping"', "Unknown message type"),
            ("{}", "Unknown message type"),
            ('{"type": "ping", "pad": "' + "x" * 8000 + '"}', "Message too large"),
        ]:
            await sock.ws.send_str(frame)
            assert (await sock.wait_for("error"))[-1] == {"error": error}
            sock.frames.clear()
        await sock.ws.send_bytes(b"\xff\x00garbage")
        assert await sock.wait_for("error") == [{"error": "Binary frames are not supported"}]
        await sock.ws.send_str('{"type":"ping"}')
        assert (await sock.ws.receive(timeout=5)).data == '{"type":"pong"}'
        # Still subscribed: events keep arriving.
        await call(http, cluster, "POST", "/api/rooms", creator, {"name": "After Garbage"})
        created = await sock.wait_for("room:created", wait=5)
        assert [e["room"]["name"] for e in created] == ["After Garbage"]
        await sock.close()


async def test_an_oversized_websocket_frame_closes_only_that_socket(cluster):
    victim, bystander, creator = cluster.take(3)
    async with http_session() as http:
        doomed = await open_socket(http, cluster, victim)
        other = await open_socket(http, cluster, bystander)
        await doomed.ws.send_str('{"type":"ping","pad":"' + "x" * MAX_CLIENT_MESSAGE + '"}')
        closing = await doomed.ws.receive(timeout=10)
        while closing.type == aiohttp.WSMsgType.TEXT:  # events sent before the frame was read
            closing = await doomed.ws.receive(timeout=10)
        assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        # the server refuses it before any parsing: "message too big", or the TCP connection cut
        # while the client is still sending (abnormal closure at the client).
        assert doomed.ws.close_code in (1009, 1006)

        await call(http, cluster, "POST", "/api/rooms", creator, {"name": "After Oversize"})
        created = [e["room"]["name"] for e in await other.wait_for("room:created", wait=5)]
        assert "After Oversize" in created
        await healthy(http, cluster)
        await other.close()
    # The closed socket's connection is forgotten; the bystander's went when it closed.
    await asyncio.sleep(0.5)
    rows = cluster.sql(
        "SELECT COUNT(*) FROM presence_connection WHERE user_id IN (%s, %s)",
        victim.id,
        bystander.id,
    )
    assert rows == [(0,)]


@pytest.mark.parametrize(
    ("query", "status", "error"),
    [
        ("?token=%ff%fe%00", 401, "Invalid or expired token"),
        ("?token=a&token=b", 401, "Missing authorization token"),
        ("?token=" + "A" * 6000, 401, "Invalid or expired token"),
        ("?token[]=x&token=", 401, "Missing authorization token"),
    ],
)
async def test_garbage_on_the_event_stream_is_a_json_401(cluster, query, status, error):
    async with http_session() as http:
        assert await call(http, cluster, "GET", f"/api/events{query}") == (status, {"error": error})
        assert await call(http, cluster, "POST", "/api/events") == (404, {"error": "Not found"})
        await healthy(http, cluster)


@pytest.mark.parametrize(
    "garbage",
    [b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(64), b"GET /\r\nHost\r\n\r\n" * 50],
    ids=["tls-hello", "broken-http"],
)
async def test_garbage_bytes_on_the_http_port_leave_the_server_healthy(cluster, garbage):
    port = cluster.servers[0].port
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(garbage)
        raw.shutdown(socket.SHUT_WR)
        try:
            while raw.recv(65536):
                pass
        except OSError:
            pass
    async with http_session() as http:
        await healthy(http, cluster)
