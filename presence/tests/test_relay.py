"""Relaying one event to many sockets costs no trip to a worker thread per socket."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import HttpCommunicator

from distokoloshe.asgi import application
from presence.tests.conftest import bearer, open_ws, receive_event
from realtime import events
from realtime import publish as door

pytestmark = [
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def thread_hops(monkeypatch) -> list[None]:
    """Counts Channels' close_old_connections hops before handlers."""
    hops: list[None] = []

    async def counted() -> None:
        hops.append(None)

    monkeypatch.setattr("channels.consumer.aclose_old_connections", counted)
    return hops


@sync_to_async
def publish(event: events.Event) -> None:
    door.publish(event, to=door.Everyone())


def joined(user_id: int) -> events.RoomJoined:
    return events.RoomJoined(user={"id": user_id, "username": "x", "display_name": "X"}, roomId=1)


async def test_a_socket_relays_events_without_a_thread_hop_each(alice, thread_hops):
    communicator, _ = await open_ws(alice)
    await receive_event(communicator, "user:online")
    before = len(thread_hops)

    for user_id in range(20):
        await publish(joined(user_id))
        assert (await receive_event(communicator, "user:room_join"))["user"]["id"] == user_id

    assert len(thread_hops) == before
    # Frames from the client still go through Channels' usual path.
    await communicator.send_to(text_data='{"type":"ping"}')
    assert await communicator.receive_from() == '{"type":"pong"}'
    assert len(thread_hops) == before + 1
    await communicator.disconnect()


async def test_a_stream_relays_events_without_a_thread_hop_each(alice, thread_hops):
    communicator = HttpCommunicator(application, "GET", f"/api/events?token={await bearer(alice)}")
    await communicator.send_input({"type": "http.request", "body": b""})
    assert (await communicator.receive_output(5))["status"] == 200
    await communicator.receive_output(5)  # :ok
    await communicator.receive_output(5)  # its own user:online
    before = len(thread_hops)

    for user_id in range(20):
        await publish(joined(user_id))
        body = (await communicator.receive_output(5))["body"]
        assert body.startswith(b"event: user:room_join\n") and b'"id":%d,' % user_id in body

    assert len(thread_hops) == before
    await communicator.send_input({"type": "http.disconnect"})
    await communicator.wait(5)
