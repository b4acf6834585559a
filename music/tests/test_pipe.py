"""The pipe's consumer through the real ASGI application: 2.x's refusals at the handshake, its
frames, its lock, and what the DJ does meanwhile. (Its audio through the real SFU is in
tests/reliability/test_music_bot.py; here the participant is replaced, since no SFU runs.)"""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from accounts.tokens import token_mint
from distokoloshe.asgi import application
from music.models import PipeLock, RoomMusic
from music.pipe import PipeConsumer
from realtime.events import MusicStatusChanged

pytestmark = pytest.mark.django_db(transaction=True)


class FakeSpeaker:
    """Stands in for the LiveKit participant: keeps what it was given."""

    def __init__(self) -> None:
        self.frames: list[bytes] = []
        self.left = False

    async def play(self, pcm: bytes) -> None:
        self.frames.append(pcm)

    async def leave(self) -> None:
        self.left = True


@pytest.fixture
def speakers(monkeypatch) -> list[FakeSpeaker]:
    made: list[FakeSpeaker] = []

    async def join(self, title):
        made.append(FakeSpeaker())
        return made[-1]

    monkeypatch.setattr(PipeConsumer, "_join", join)
    return made


def connect(token: str, room_id) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, f"/api/music/pipe?token={token}&roomId={room_id}")


async def refused(token: str, room_id) -> bool:
    communicator = connect(token, room_id)
    connected, _ = await communicator.connect()
    await communicator.disconnect()
    return not connected


@pytest.mark.asyncio
async def test_the_handshake_refuses_a_bad_token_room_or_stranger(seated, alice, dave):
    alice_token = await database_sync_to_async(token_mint)(user=alice)
    dave_token = await database_sync_to_async(token_mint)(user=dave)
    assert await refused("nope", seated.pk)
    assert await refused(alice_token, "abc")
    assert await refused(alice_token, 999999)
    assert await refused(dave_token, seated.pk)


@pytest.mark.asyncio
async def test_frames_of_3840_bytes_play_others_are_dropped_and_the_lock_is_one_per_room(
    speakers, playing, published, alice, bob
):
    bob_token = await database_sync_to_async(token_mint)(user=bob)
    alice_token = await database_sync_to_async(token_mint)(user=alice)
    pipe = connect(bob_token, playing.pk)
    assert (await pipe.connect())[0]
    await pipe.send_to(text_data=json.dumps({"type": "start", "title": "Bob's mix"}))
    started = json.loads(await pipe.receive_from())
    assert started["type"] == "started"
    for size in (3840, 100, 3840, 3841):
        await pipe.send_to(bytes_data=b"\x01" * size)
    # The DJ stands aside for the pipe, and the room hears who pipes what.
    player = await database_sync_to_async(RoomMusic.objects.get)(pk=playing.pk)
    assert (player.mode, player.streamer, player.external_title) == ("external", "Bob", "Bob's mix")
    payload = published.of(MusicStatusChanged)[-1][0].payload()
    assert (payload["nowPlaying"], payload["streamer"]) == ("Bob's mix", "Bob")
    assert payload["externalSessionId"] == started["sessionId"]

    # Alice may not pipe into the room while Bob does (2.x: HTTP 409).
    assert await refused(alice_token, playing.pk)

    await pipe.send_to(text_data=json.dumps({"type": "end"}))
    assert json.loads(await pipe.receive_from()) == {"type": "ended"}
    await pipe.wait()
    assert [len(frame) for frame in speakers[0].frames] == [3840, 3840]
    assert speakers[0].left
    assert not await database_sync_to_async(PipeLock.objects.exists)()
    player = await database_sync_to_async(RoomMusic.objects.get)(pk=playing.pk)
    assert player.mode == "radio"


@pytest.mark.asyncio
async def test_a_start_without_a_title_is_closed_4400(speakers, seated, bob):
    token = await database_sync_to_async(token_mint)(user=bob)
    pipe = connect(token, seated.pk)
    assert (await pipe.connect())[0]
    await pipe.send_to(text_data=json.dumps({"type": "start"}))
    closed = await pipe.receive_output()
    assert (closed["type"], closed["code"]) == ("websocket.close", 4400)
    assert speakers == []
