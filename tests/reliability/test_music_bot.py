"""DJ Tokoloshe against the real LiveKit server: `run_dj` plays a room's station (a local file
of a known tone) encrypted with the room's key, a pipe from a test client plays in another
room at the same time, the pipe's handshake refuses as 2.x did, and a killed `run_dj` that is
started again rejoins and plays on. What is heard is read by an encrypted listener on LiveKit's
Python SDK: a pitch it can measure only if it could decrypt."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import websockets

from harness.livekit import CallStack, call_stack
from harness.music import Listener, dj_process, tone_file
from harness.servers import AppServer, app_servers, manage, manage_run, redis_server

# The stack starts slowly on a loaded machine; each test then takes seconds of real audio.
pytestmark = pytest.mark.timeout(900)

BOT = "__music-bot__"
RADIO_HZ = 440
FIFTH_HZ = 660
PIPE_HZ = 880

SEED = """
import json
from accounts.models import User
from accounts.tokens import token_mint
from music.models import Station
from music.services.configure import music_configure
from rooms.models import Room
from rooms.services.membership import membership_enter

alice = User.objects.create_user("alice", "a long passphrase here", display_name="Alice")
bob = User.objects.create_user("bob", "a long passphrase here", display_name="Bob")
radio = Room.objects.create(name="Radio Room", created_by=alice)
quiet = Room.objects.create(name="Quiet Room", created_by=bob)
membership_enter(user=alice, room=radio)
membership_enter(user=bob, room=quiet)
Station.objects.create(slug="tone", name="Tone FM", genre="Test", url=%r)
Station.objects.create(slug="fifth", name="Fifth FM", genre="Test", url=%r, position=1)
music_configure(user=alice, room_id=radio.pk, enabled=True, locked=None)
print(json.dumps({"alice": [alice.pk, token_mint(user=alice)],
                  "bob": [bob.pk, token_mint(user=bob)], "radio": radio.pk, "quiet": quiet.pk}))
"""


@contextmanager
def one_app_server(env: Mapping[str, str]) -> Iterator[AppServer]:
    with app_servers(1, extra_env=env) as (app,):
        yield app


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CallStack, dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("music")
    tone = tone_file(folder / "tone.flac", hertz=RADIO_HZ, seconds=600)
    fifth = tone_file(folder / "fifth.flac", hertz=FIFTH_HZ, seconds=600)
    with redis_server() as redis:
        env = {
            "REDIS_URL": redis.url,
            "PRESENCE_UNCONNECTED_MEMBER_SECONDS": "3600",
            "MUSIC_POLL_SECONDS": "0.1",
        }
        with call_stack(one_app_server, env) as stack:
            output = manage("shell", "-c", SEED % (str(tone), str(fifth)), env=stack.app.env)
            seeded = json.loads(output.strip().splitlines()[-1])
            yield stack, seeded


def wait_until(check: Callable[[], Any], *, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.25)


def hears(listener: Listener, identity: str, hertz: int) -> bool:
    loudest, pitch = listener.pitch(identity)
    return loudest > 0.05 and abs(pitch - hertz) < 5


def listen(stack: CallStack, room: str, who: str) -> Listener:
    return Listener(url=stack.sfu.url, env=stack.app.env, room_name=room, identity=who)


def test_the_dj_plays_the_station_encrypted_and_rejoins_after_being_killed(
    stack: tuple[CallStack, dict[str, Any]], tmp_path: Path
) -> None:
    call, _ = stack
    with listen(call, "Radio Room", "listener-1") as ear:
        with dj_process(call.app.env, log_path=tmp_path / "dj.log") as dj:
            assert wait_until(lambda: hears(ear, BOT, RADIO_HZ)), (
                f"no {RADIO_HZ} Hz from the DJ: heard {ear.pitch(BOT)}\n"
                + (tmp_path / "dj.log").read_text()
            )
            assert ear.decrypt_failures == 0
            dj.send_signal(signal.SIGKILL)
            dj.wait(timeout=10)
            assert wait_until(lambda: BOT not in ear.identities(), timeout=10)
        with dj_process(call.app.env, log_path=tmp_path / "dj-again.log"):
            assert wait_until(lambda: hears(ear, BOT, RADIO_HZ)), "the restarted DJ is silent"


CONTROL = """
from accounts.models import User
from music.services.control import music_pause, music_station
alice = User.objects.get(username="alice")
room = %d
%s
"""


def control(call: CallStack, room: int, action: str) -> None:
    """One of the DJ popover's actions, as Alice, through music's services."""
    manage("shell", "-c", CONTROL % (room, action), env=call.app.env)


def test_a_change_of_station_and_a_pause_are_heard_at_once(
    stack: tuple[CallStack, dict[str, Any]], tmp_path: Path
) -> None:
    call, seeded = stack
    room = seeded["radio"]
    with (
        dj_process(call.app.env, log_path=tmp_path / "dj.log"),
        listen(call, "Radio Room", "listener-tuning") as ear,
    ):
        assert wait_until(lambda: hears(ear, BOT, RADIO_HZ))
        try:
            control(call, room, 'music_station(user=alice, room_id=room, station_id="fifth")')
            # People expect a new station within a second or two, not after a buffer drains.
            assert wait_until(lambda: hears(ear, BOT, FIFTH_HZ), timeout=8), (
                f"the new station is not heard: {ear.pitch(BOT)}\n"
                + (tmp_path / "dj.log").read_text()
            )
            control(call, room, "music_pause(user=alice, room_id=room)")
            assert wait_until(lambda: BOT not in ear.identities(), timeout=8), "pause is not heard"
            control(call, room, "music_pause(user=alice, room_id=room)")
            assert wait_until(lambda: hears(ear, BOT, FIFTH_HZ), timeout=8), "resume is not heard"
        finally:
            control(call, room, 'music_station(user=alice, room_id=room, station_id="tone")')


def test_a_single_process_without_redis_plays_music_itself(tmp_path: Path) -> None:
    # A laptop's ./bin/dev: one app process, events in memory, the DJ inside it.
    tone = tone_file(tmp_path / "tone.flac", hertz=RADIO_HZ, seconds=120)
    fifth = tone_file(tmp_path / "fifth.flac", hertz=FIFTH_HZ, seconds=120)
    env = {
        "MUSIC_IN_PROCESS": "1",
        "PRESENCE_UNCONNECTED_MEMBER_SECONDS": "3600",
        "MUSIC_POLL_SECONDS": "0.1",
    }
    with call_stack(one_app_server, env) as call:
        assert "REDIS_URL" not in call.app.env
        manage("shell", "-c", SEED % (str(tone), str(fifth)), env=call.app.env)
        with listen(call, "Radio Room", "listener-laptop") as ear:
            assert wait_until(lambda: hears(ear, BOT, RADIO_HZ)), (
                f"no {RADIO_HZ} Hz from the in-process DJ: {ear.pitch(BOT)}\n{call.app.log_text()}"
            )
        refused = manage_run("run_dj", env=call.app.env)
        assert refused.returncode != 0 and "already runs the DJ" in refused.stderr


def pcm(hertz: int, seconds: float) -> list[bytes]:
    """A stereo s16le sine cut into 2.x's 3840-byte frames."""
    t = np.arange(int(48000 * seconds)) / 48000
    mono = (np.sin(2 * np.pi * hertz * t) * 0.5 * 32767).astype(np.int16)
    data = np.repeat(mono, 2).tobytes()
    return [data[i : i + 3840] for i in range(0, len(data) - 3839, 3840)]


def pipe_url(app: AppServer, token: str, room: Any) -> str:
    return f"{app.ws_url}/api/music/pipe?token={token}&roomId={room}"


async def stream(url: str, frames: list[bytes], *, title: str = "Test tone") -> dict[str, Any]:
    """Streams `frames` as 2.x's desktop client does; what the server said, and how long it
    took to take them all: it answers `ended` only after the last frame, and reads no faster
    than it plays (loopback's socket buffers alone would swallow the whole upload at once)."""
    async with websockets.connect(url, max_size=2**20) as ws:
        await ws.send(json.dumps({"type": "start", "title": title}))
        started = json.loads(await ws.recv())
        began = time.monotonic()
        for frame in frames:
            await ws.send(frame)
        await ws.send(json.dumps({"type": "end"}))
        ended = json.loads(await ws.recv())
        took = time.monotonic() - began
    return {"started": started, "ended": ended, "seconds": took}


def test_a_pipe_plays_in_another_room_while_the_dj_plays_and_keeps_real_time(
    stack: tuple[CallStack, dict[str, Any]], tmp_path: Path
) -> None:
    call, seeded = stack
    bob_id, bob_token = seeded["bob"]
    with (
        dj_process(call.app.env, log_path=tmp_path / "dj.log"),
        listen(call, "Radio Room", "listener-radio") as radio,
        listen(call, "Quiet Room", "listener-quiet") as quiet,
    ):
        assert wait_until(lambda: hears(radio, BOT, RADIO_HZ))
        url = pipe_url(call.app, bob_token, seeded["quiet"])
        upload = asyncio.run(_stream_and_check(url, quiet, radio, bob_id))
        print(f"8 s of PCM taken by the server in {upload['seconds']:.2f} s")
        assert upload["started"]["type"] == "started"
        assert upload["ended"] == {"type": "ended"}
        # Backpressure: the server took the frames no faster than it played them (less its
        # buffer of well under a second).
        assert upload["seconds"] > 6.0
        assert upload["heard"], "the pipe was not heard in the quiet room"
        assert upload["radio_meanwhile"], "the DJ stopped while the pipe played elsewhere"
        assert wait_until(lambda: not [i for i in quiet.identities() if i.startswith("__pipe-")])


async def _stream_and_check(url: str, quiet: Listener, radio: Listener, bob_id: int) -> Any:
    heard: list[bool] = []
    radio_meanwhile: list[bool] = []

    async def check() -> None:
        await asyncio.sleep(4)
        pipes = [i for i in quiet.identities() if i.startswith(f"__pipe-{bob_id}-")]
        heard.append(bool(pipes) and hears(quiet, pipes[0], PIPE_HZ))
        radio_meanwhile.append(hears(radio, BOT, RADIO_HZ))

    checking = asyncio.create_task(check())
    result = await stream(url, pcm(PIPE_HZ, 8.0))
    await checking
    return {**result, "heard": all(heard), "radio_meanwhile": all(radio_meanwhile)}


async def _refused(url: str) -> int:
    try:
        async with websockets.connect(url):
            return 101
    except websockets.InvalidStatus as refused:
        return refused.response.status_code


def test_the_pipe_handshake_refuses_as_2x_did(stack: tuple[CallStack, dict[str, Any]]) -> None:
    call, seeded = stack
    _, alice = seeded["alice"]
    _, bob = seeded["bob"]
    app = call.app
    assert asyncio.run(_refused(pipe_url(app, "not-a-token", seeded["radio"]))) == 401
    assert asyncio.run(_refused(pipe_url(app, alice, "abc"))) == 400
    assert asyncio.run(_refused(pipe_url(app, alice, 999999))) == 404
    # Bob is in the quiet room, not in the radio room.
    assert asyncio.run(_refused(pipe_url(app, bob, seeded["radio"]))) == 403
