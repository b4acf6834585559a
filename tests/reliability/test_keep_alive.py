"""A connection a proxy or a client pool keeps between requests stays open while it idles.

The server closing an idle connection first is a race with the next request on it: the request
meets a reset (a browser test's setup saw `read ECONNRESET`; Caddy answers such a POST with 502).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from distokoloshe.serve import KEEP_ALIVE_SECONDS

from .live import Cluster, deployment

pytestmark = pytest.mark.slow

# Caddy's reverse_proxy keeps an idle upstream connection for two minutes (its default).
PROXY_IDLE_SECONDS = 120
HEALTH = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with deployment("sqlite", processes=1) as running:
        yield running


def answer(raw: socket.socket) -> bytes:
    """One whole response to /api/health (its JSON body ends the read)."""
    received = b""
    while not received.endswith(b'{"status": "ok"}') and not received.endswith(b'{"status":"ok"}'):
        chunk = raw.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def test_a_connection_idle_for_seconds_still_answers_its_next_request(cluster: Cluster) -> None:
    with socket.create_connection(("127.0.0.1", cluster.servers[0].port), timeout=5) as raw:
        raw.sendall(HEALTH)
        assert answer(raw).startswith(b"HTTP/1.1 200")
        time.sleep(8)  # past uvicorn's default of 5 s
        raw.sendall(HEALTH)
        assert answer(raw).startswith(b"HTTP/1.1 200")


def test_idle_connections_outlive_the_proxys_own_idle_timeout() -> None:
    assert KEEP_ALIVE_SECONDS > PROXY_IDLE_SECONDS
