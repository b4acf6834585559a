"""`python -m distokoloshe.serve`: the app server, as every deployment and every test runs it.

uvicorn (with uvloop, httptools and the sans-I/O websockets protocol) serves the ASGI
application. Measured against daphne on the same machine and code, it spent about a third of
daphne's CPU per event delivered to 500 WebSockets (30 against 110 ms) and about 70 % per join
request; docs/performance.md has the figures. Proxy headers are left to the app
(TRUSTED_PROXIES), and the access log goes through Python logging, where tokens in query
strings are redacted (presence/redaction.py).
"""

from __future__ import annotations

import argparse
import os

import uvicorn

# The largest frame a client may send on any WebSocket, cut off before it is buffered whole. Our
# event sockets refuse anything over 4 KiB themselves; the bound is set by LiveKit's signalling
# through /livekit/ (LIVEKIT_PROXY), where a page's SDP answer names every track it receives:
# about 3 KiB a track, so over 64 KiB in a room of a dozen cameras and microphones. 2 MiB leaves
# room for hundreds of tracks.
MAX_CLIENT_MESSAGE = 2 * 1024 * 1024
# Event streams never end on their own: on SIGTERM they get this long, then are cancelled
# (each records its disconnect on the way out).
GRACEFUL_SHUTDOWN_SECONDS = 5
# How long an idle keep-alive connection stays open. It must outlast the idle timeout of whatever
# reuses our connections (Caddy keeps upstream connections for 2 minutes, Playwright's and Node's
# pools until the server closes them): when the server closes first, a request written at that
# moment meets a reset, and a proxy answers 502 for a POST it may not retry. uvicorn's default: 5 s.
KEEP_ALIVE_SECONDS = 150


def config(*, host: str, port: int) -> uvicorn.Config:
    """The uvicorn configuration every deployment runs."""
    return uvicorn.Config(
        "distokoloshe.asgi:application",
        host=host,
        port=port,
        loop="uvloop",
        http="httptools",
        ws="websockets-sansio",
        ws_max_size=MAX_CLIENT_MESSAGE,
        lifespan="on",
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        log_config=None,
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m distokoloshe.serve", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("APP_BIND", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("APP_PORT", "8000")))
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "distokoloshe.settings")
    uvicorn.Server(config(host=args.host, port=args.port)).run()


if __name__ == "__main__":
    main()
