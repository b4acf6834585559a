"""The 1.x event stream GET /api/events through the real ASGI application (in process):
auth, 401/429 bodies, framing, relayed events and keepalive. tests/reliability runs it under the
app server."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import HttpCommunicator
from django.test import override_settings

from accounts.services import user_logout_everywhere
from distokoloshe.asgi import application
from presence.models import Connection, Presence
from presence.services.connections import presence_connect
from presence.tests.conftest import bearer, session_cookie
from realtime import events, payloads
from realtime import publish as door

pytestmark = [
    pytest.mark.django_db(transaction=True),
]

db = database_sync_to_async

STREAM_HEADERS = [
    (b"Content-Type", b"text/event-stream"),
    (b"Cache-Control", b"no-cache"),
    (b"Connection", b"keep-alive"),
    (b"X-Accel-Buffering", b"no"),
    (b"X-Content-Type-Options", b"nosniff"),
]


def ref(user) -> payloads.UserRef:
    return {"id": user.pk, "username": user.username, "display_name": user.display_name}


def stream(path: str, headers: list[tuple[bytes, bytes]] | None = None, method: str = "GET"):
    return HttpCommunicator(application, method, path, headers=headers or [])


async def refused(communicator: HttpCommunicator) -> tuple[int, dict[str, str], bytes]:
    response = await communicator.get_response(timeout=2)
    headers = {k.decode().lower(): v.decode() for k, v in response["headers"]}
    return response["status"], headers, response["body"]


async def opened(communicator: HttpCommunicator) -> list[tuple[bytes, bytes]]:
    """Sends the request; returns the 200 response's headers after checking `:ok`."""
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(timeout=2)
    assert start["status"] == 200
    first = await communicator.receive_output(timeout=2)
    assert (first["body"], first["more_body"]) == (b":ok\n\n", True)
    headers: list[tuple[bytes, bytes]] = start["headers"]
    return headers


async def chunk(communicator: HttpCommunicator) -> bytes:
    message = await communicator.receive_output(timeout=2)
    assert message["more_body"] is True
    body: bytes = message["body"]
    return body


def sse(name: str, data: object) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


@db
def publish(event, to):
    door.publish(event, to=to)


async def close(communicator: HttpCommunicator) -> None:
    await communicator.send_input({"type": "http.disconnect"})
    await communicator.wait(timeout=2)


async def test_stream_speaks_1x_framing_and_relays_events(alice):
    communicator = stream(f"/api/events?token={await bearer(alice)}")

    assert await opened(communicator) == STREAM_HEADERS
    # 1.x: the new stream receives its own user:online.
    assert await chunk(communicator) == sse("user:online", {"user": ref(alice)})
    await publish(events.RoomJoined(user=ref(alice), roomId=4), door.Everyone())
    assert await chunk(communicator) == sse("user:room_join", {"user": ref(alice), "roomId": 4})
    await publish(events.WhispersDeactivated(roomId=4), door.Users.one(alice.pk))
    assert await chunk(communicator) == b'event: whispers:deactivated\ndata: {"roomId":4}\n\n'

    await close(communicator)
    assert not await db(Connection.objects.filter(user=alice).exists)()
    presence = await db(Presence.objects.get)(user=alice)
    assert presence.online and presence.offline_due_at is not None


async def test_a_revoked_token_ends_the_stream_and_cannot_open_another(alice):
    token = await bearer(alice)
    communicator = stream(f"/api/events?token={token}")
    await opened(communicator)
    assert (await chunk(communicator)).startswith(b"event: user:online")

    await db(user_logout_everywhere)(user=alice)

    ended = await communicator.receive_output(timeout=2)
    assert (ended["body"], ended["more_body"]) == (b"", False)
    await communicator.wait(timeout=2)
    assert not await db(Connection.objects.filter(user=alice).exists)()
    status, _, body = await refused(stream(f"/api/events?token={token}"))
    assert (status, json.loads(body)) == (401, {"error": "Invalid or expired token"})


async def test_a_server_shutting_down_records_the_disconnect(alice):
    communicator = stream(f"/api/events?token={await bearer(alice)}")
    await opened(communicator)

    communicator.future.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await communicator.future

    assert not await db(Connection.objects.filter(user=alice).exists)()
    assert (await db(Presence.objects.get)(user=alice)).offline_due_at is not None


async def test_bearer_header_and_any_path_case_open_a_stream(alice):
    headers = [(b"authorization", f"Bearer {await bearer(alice)}".encode())]
    communicator = stream("/API/Events/", headers)

    await opened(communicator)
    await close(communicator)


async def test_excluded_user_stream_skips_the_event(alice, mallory):
    communicator = stream(f"/api/events?token={await bearer(mallory)}")
    await opened(communicator)
    await chunk(communicator)

    await publish(events.WhispersDeactivated(roomId=1), door.Everyone(exclude_user_id=mallory.pk))
    await publish(events.WhispersDeactivated(roomId=2), door.Everyone())

    assert await chunk(communicator) == b'event: whispers:deactivated\ndata: {"roomId":2}\n\n'
    await close(communicator)


@override_settings(SSE_PING_SECONDS=0.05)
async def test_idle_stream_gets_ping_comments(alice):
    communicator = stream(f"/api/events?token={await bearer(alice)}")
    await opened(communicator)
    await chunk(communicator)

    assert await chunk(communicator) == b":ping\n\n"
    await close(communicator)


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("", "Missing authorization token"),
        ("?token=", "Missing authorization token"),
        ("?token=a&token=b", "Missing authorization token"),
        ("?token=not.a.jwt", "Invalid or expired token"),
    ],
)
async def test_unauthenticated_stream_gets_a_json_401(alice, query, error):
    status, headers, body = await refused(stream(f"/api/events{query}"))

    assert status == 401
    assert headers["content-type"].startswith("application/json")
    assert body == json.dumps({"error": error}, separators=(",", ":")).encode()


async def test_session_cookie_alone_does_not_open_the_1x_stream(alice):
    cookie = await session_cookie(alice)
    status, _, body = await refused(stream("/api/events", [(b"cookie", cookie.encode())]))

    assert (status, body) == (401, b'{"error":"Missing authorization token"}')


@override_settings(PRESENCE_MAX_PER_USER=3)
async def test_fourth_stream_of_a_user_gets_the_1x_429(alice):
    for transport in ("ws", "sse", "ws"):
        await db(presence_connect)(user=alice, transport=transport, process_id="elsewhere")

    status, _, body = await refused(stream(f"/api/events?token={await bearer(alice)}"))

    assert (status, body) == (429, b'{"error":"Too many concurrent connections"}')
    assert await db(Connection.objects.count)() == 3


@override_settings(PRESENCE_MAX_TOTAL=1)
async def test_stream_beyond_the_server_limit_gets_the_1x_429(alice, bob):
    await db(presence_connect)(user=bob, transport="ws", process_id="elsewhere")

    status, _, body = await refused(stream(f"/api/events?token={await bearer(alice)}"))

    assert (status, body) == (429, b'{"error":"Server connection limit reached"}')


async def test_desktop_app_origin_gets_its_cors_allowance(alice):
    headers = [(b"origin", b"tauri://localhost")]
    status, response_headers, _ = await refused(stream("/api/events", headers))
    assert status == 401
    assert response_headers["access-control-allow-origin"] == "tauri://localhost"

    _, foreign, _ = await refused(stream("/api/events", [(b"origin", b"https://evil.example")]))
    assert "access-control-allow-origin" not in foreign


async def test_other_methods_are_not_found(alice):
    status, _, body = await refused(stream("/api/events", method="POST"))

    assert (status, body) == (404, b'{"error":"Not found"}')
