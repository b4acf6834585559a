"""The management commands and the development proxy against the real LiveKit server.

`check_livekit` and `mint_token` are what a self-hoster runs when a call will not connect;
`/livekit/` on the app's own address (LIVEKIT_PROXY, as `./bin/dev` runs it) is where every
client, 1.x's included, builds its media URL from the join response's relative `wsUrl`.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import pytest
import websockets
from livekit.protocol import rtc

from harness.livekit import CallStack, call_stack
from harness.servers import AppServer, app_servers, manage, manage_run

CREATE_MEMBER = """
from accounts.models import User

user = User.objects.create_user(username="thandi", password="a long passphrase here",
                                display_name="Thandi")

"""


@contextmanager
def one_app_server(env: Mapping[str, str]) -> Iterator[AppServer]:
    with app_servers(1, extra_env=env) as (app,):
        yield app


@pytest.fixture(scope="module")
def stack() -> Iterator[CallStack]:
    with call_stack(one_app_server, {}) as stack:
        manage("shell", "-c", CREATE_MEMBER, env=stack.app.env)
        yield stack


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return manage_run(*args, env=env)


def status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_check_livekit_reaches_the_sfu_and_names_a_wrong_secret(stack: CallStack) -> None:
    answer = run("check_livekit", env=stack.app.env)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.startswith(f"LiveKit at {stack.sfu.url}")
    assert "answered" in answer.stdout

    wrong = run("check_livekit", env={**stack.app.env, "LIVEKIT_API_SECRET": "x" * 40})
    assert wrong.returncode != 0
    [line] = wrong.stderr.strip().splitlines()
    assert "key" in line.lower() or "secret" in line.lower(), line


def test_a_minted_token_is_accepted_by_the_sfu_and_a_forged_one_is_not(stack: CallStack) -> None:
    token = run("mint_token", "thandi", "General", env=stack.app.env)
    assert token.returncode == 0, token.stderr
    code, _ = status(f"{stack.sfu.url}/rtc/validate?access_token={token.stdout.strip()}")
    assert code == 200

    forged = run(
        "mint_token", "thandi", "General", env={**stack.app.env, "LIVEKIT_API_SECRET": "y" * 40}
    )
    code, body = status(f"{stack.sfu.url}/rtc/validate?access_token={forged.stdout.strip()}")
    assert code == 401, body


def test_the_app_passes_livekit_on_at_its_own_address(stack: CallStack) -> None:
    token = run("mint_token", "thandi", "General", env=stack.app.env).stdout.strip()
    # The HTTP side (what livekit-client asks when a connection fails), status and all.
    assert status(f"{stack.app.url}/livekit/rtc/validate?access_token={token}")[0] == 200
    assert status(f"{stack.app.url}/livekit/rtc/validate?access_token=nonsense")[0] == 401

    # The signalling WebSocket: the SFU's first frame is its (binary, protobuf) join response,
    # which names the room.
    async def first_frame() -> bytes:
        url = f"{stack.app.ws_url}/livekit/rtc?access_token={token}&auto_subscribe=1&protocol=16"
        async with websockets.connect(url, max_size=None) as socket:
            frame = await asyncio.wait_for(socket.recv(), timeout=10)
            assert isinstance(frame, bytes)
            return frame

    assert b"General" in asyncio.run(first_frame())


def test_a_large_signalling_frame_passes_the_proxy(stack: CallStack) -> None:
    # A page's SDP answer names every track it receives: in a room of a dozen cameras and
    # microphones it passes 64 KiB, and a proxy that refuses it drops everyone's call.
    token = run("mint_token", "thandi", "General", env=stack.app.env).stdout.strip()
    large = rtc.SignalRequest(update_metadata=rtc.UpdateParticipantMetadata(metadata="x" * 300_000))
    ping = rtc.SignalRequest(ping_req=rtc.Ping(timestamp=int(time.time() * 1000)))

    async def pong_after_a_large_frame() -> bool:
        url = f"{stack.app.ws_url}/livekit/rtc?access_token={token}&auto_subscribe=1&protocol=16"
        async with websockets.connect(url, max_size=None) as socket:
            await asyncio.wait_for(socket.recv(), timeout=10)  # the join response
            await socket.send(large.SerializeToString())
            await socket.send(ping.SerializeToString())
            while True:
                frame = await asyncio.wait_for(socket.recv(), timeout=10)
                assert isinstance(frame, bytes)
                answer = rtc.SignalResponse.FromString(frame)
                if answer.WhichOneof("message") == "pong_resp":
                    return True

    assert asyncio.run(pong_after_a_large_frame())


def test_without_the_sfu_the_proxy_answers_unreachable(stack: CallStack) -> None:
    stack.sfu.stop()
    try:
        code, body = status(f"{stack.app.url}/livekit/rtc/validate?access_token=x")
        assert (code, body) == (503, "Media server unreachable")
    finally:
        stack.sfu.start()


def test_the_dev_config_keeps_the_sfu_on_loopback(stack: CallStack) -> None:
    listening = subprocess.run(
        ["ss", "-Hlntup"], capture_output=True, text=True, check=False
    ).stdout
    assert stack.sfu.process is not None
    mine = [line for line in listening.splitlines() if f"pid={stack.sfu.process.pid}," in line]
    assert mine, listening
    for line in mine:
        local = line.split()[4]
        assert local.startswith("127.0.0.1:"), line
