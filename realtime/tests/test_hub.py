"""The hub: one event, serialised once, reaches every local socket of its audience, in order,
without Redis and through Redis."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass, field

import pytest
from asgiref.sync import sync_to_async

from harness.servers import redis_server
from realtime import hub
from realtime.events import RoomJoined, WhispersDeactivated
from realtime.hub import Envelope, Frames
from realtime.publish import Everyone, Users, credentials_changed, publish

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass(eq=False)
class Socket:
    """A sink that records what it is sent."""

    user_id: int
    got: list[str] = field(default_factory=list)
    reconnects: int = 0
    rechecks: int = 0

    async def deliver(self, frames: Frames) -> None:
        self.got.append(frames.websocket)

    async def reconnect(self) -> None:
        self.reconnects += 1

    async def recheck(self) -> None:
        self.rechecks += 1


def _joined(user_id: int) -> RoomJoined:
    return RoomJoined(user={"id": user_id, "username": "u", "display_name": "U"}, roomId=7)


async def _settle(*sockets: Socket, count: int) -> None:
    for _ in range(200):
        if all(len(s.got) >= count for s in sockets):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"not delivered: {[s.got for s in sockets]}")


async def _attached(*user_ids: int) -> list[Socket]:
    sockets = [Socket(user_id) for user_id in user_ids]
    for socket in sockets:
        await hub.hub().attach(socket)
    return sockets


def _detach(sockets: list[Socket]) -> None:
    for socket in sockets:
        hub.hub().detach(socket)


async def test_an_event_reaches_every_socket_of_its_audience_and_nobody_else():
    sockets = await _attached(1, 1, 2, 3)
    await sync_to_async(publish)(WhispersDeactivated(roomId=7), to=Users((1, 2)))
    await sync_to_async(publish)(_joined(9), to=Everyone(exclude_user_id=2))

    await _settle(*sockets[:2], count=2)
    frame = '{"type":"whispers:deactivated","data":{"roomId":7}}'
    assert sockets[0].got[0] == sockets[1].got[0] == sockets[2].got[0] == frame
    assert sockets[2].got == [frame]  # user 2 is left out of the second event
    assert [s.got[0].startswith('{"type":"user:room_join"') for s in sockets[3:]] == [True]
    _detach(sockets)


async def test_events_arrive_in_the_order_they_were_published():
    [socket] = await _attached(1)

    def burst() -> None:
        for user_id in range(50):
            publish(_joined(user_id), to=Users.one(1))

    await sync_to_async(burst)()

    await _settle(socket, count=50)
    assert socket.got == [
        Frames(Envelope("user:room_join", hub_payload(user_id))).websocket for user_id in range(50)
    ]
    _detach([socket])


def hub_payload(user_id: int) -> str:
    return f'{{"user":{{"id":{user_id},"username":"u","display_name":"U"}},"roomId":7}}'


def test_a_frame_is_built_once_per_process_whatever_the_socket_count():
    frames = Frames(Envelope("x", "{}"))
    assert frames.websocket is frames.websocket
    assert frames.sse == b"event: x\ndata: {}\n\n"


async def test_a_credentials_recheck_reaches_that_users_sockets_only():
    sockets = await _attached(1, 1, 2)
    await sync_to_async(credentials_changed)(user_id=1)
    for _ in range(100):
        if sockets[1].rechecks:
            break
        await asyncio.sleep(0.01)
    assert [s.rechecks for s in sockets] == [1, 1, 0]
    assert [s.got for s in sockets] == [[], [], []]
    _detach(sockets)


async def test_sockets_do_not_expire_however_long_they_stay(monkeypatch):
    [socket] = await _attached(1)
    # Channels' group memberships lapsed a day after joining (by the wall clock); a hub keeps a
    # socket for as long as it is open.
    later = time.time() + 3 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    await sync_to_async(publish)(_joined(2), to=Users.one(1))
    await _settle(socket, count=1)
    _detach([socket])


async def test_an_empty_audience_sends_nothing():
    [socket] = await _attached(1)
    await sync_to_async(publish)(_joined(1), to=Users(()))
    await sync_to_async(publish)(_joined(2), to=Users.one(1))
    await _settle(socket, count=1)
    assert len(socket.got) == 1
    _detach([socket])


async def test_the_last_socket_gone_stops_the_loops_delivery():
    sockets = await _attached(1, 2)
    loop_hub = hub.hub()
    _detach(sockets)
    assert hub.hub() is not loop_hub  # forgotten, and a fresh one made on demand
    hub.hub().detach(Socket(5))  # detaching an unknown socket is harmless


async def test_through_redis_every_process_delivers_its_own_sockets(settings):
    settings.REDIS_URL = os.environ["TEST_REDIS_URL"]
    sockets = await _attached(1, 2)

    await sync_to_async(publish)(_joined(4), to=Users((2,)))

    await _settle(sockets[1], count=1)
    assert sockets[0].got == []
    assert '"id":4' in sockets[1].got[0]
    _detach(sockets)


async def test_a_lost_redis_subscription_makes_every_socket_reconnect(settings, monkeypatch):
    settings.REDIS_URL = os.environ["TEST_REDIS_URL"]
    [socket] = await _attached(1)
    loop_hub = hub.hub()
    subscriber = loop_hub._subscriber
    assert subscriber is not None

    # The subscription breaks as it would when Redis restarts.
    listening = loop_hub._listen

    async def broken() -> None:
        raise ConnectionError("Connection closed by server.")

    monkeypatch.setattr(loop_hub, "_listen", broken)
    subscriber.cancel()
    loop_hub._subscriber = asyncio.get_running_loop().create_task(loop_hub._subscribe_forever())
    for _ in range(100):
        if socket.reconnects:
            break
        await asyncio.sleep(0.01)
    assert socket.reconnects == 1
    monkeypatch.setattr(loop_hub, "_listen", listening)
    _detach([socket])


@dataclass(eq=False)
class GoneSocket(Socket):
    """A sink whose client has just gone: the ASGI server refuses the write."""

    async def deliver(self, frames: Frames) -> None:
        raise ConnectionResetError("client disconnected")


async def test_a_socket_closing_mid_write_is_skipped_without_an_error_logged(caplog):
    gone = GoneSocket(1)
    await hub.hub().attach(gone)
    [other] = await _attached(1)
    await sync_to_async(publish)(WhispersDeactivated(roomId=7), to=Users.one(1))

    await _settle(other, count=1)
    assert [r for r in caplog.records if r.levelname == "ERROR"] == []
    _detach([gone, other])


async def _until(condition, wait: float = 15.0) -> bool:
    for _ in range(int(wait / 0.05)):
        if condition():
            return True
        await asyncio.sleep(0.05)
    return bool(condition())


async def test_a_redis_restart_makes_every_socket_resync_and_new_ones_hear_events(settings):
    with redis_server() as redis:
        settings.REDIS_URL = redis.url
        [before] = await _attached(1)
        await sync_to_async(publish)(_joined(2), to=Users.one(1))
        await _settle(before, count=1)

        # Redis restarts at once: whatever was published meanwhile is gone, so the socket
        # cannot be left to carry on as if it had heard everything.
        await sync_to_async(redis.stop)()
        await sync_to_async(redis.start)()

        assert await _until(lambda: before.reconnects == 1)
        hub.hub().detach(before)  # as its client hangs up to reconnect
        [after] = await _attached(1)
        await sync_to_async(publish)(_joined(3), to=Users.one(1))
        await _settle(after, count=1)
        assert '"id":3' in after.got[0]
        _detach([after])
