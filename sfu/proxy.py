"""`/livekit/` on the app's own address, passed through to the SFU at LIVEKIT_URL.

In production Caddy does this. On a laptop (`./bin/dev`, LIVEKIT_PROXY on) there is no reverse
proxy, yet the join response's `wsUrl` must stay the relative `/livekit/`: 1.x clients glue it to
the page's origin, and a page served over one address should not need a second one for media.
So the app answers `/livekit/…` itself: the signalling WebSocket frame by frame, and the plain
HTTP requests livekit-client makes beside it (`/rtc/validate` when a connection fails).

aiohttp is the client for both because livekit-api already depends on it; media itself (WebRTC
over UDP) never passes through here.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp

PREFIX = "/livekit"
# Not forwarded: they describe this hop, not the request (RFC 9110 §7.6.1), or aiohttp sets them.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
        "sec-websocket-key",
        "sec-websocket-version",
        "sec-websocket-extensions",
        "sec-websocket-protocol",
    }
)
UPSTREAM_DOWN = 1011  # "server error": livekit-client then asks /rtc/validate why
CONNECT_TIMEOUT = aiohttp.ClientTimeout(total=None, connect=5, sock_connect=5)

Scope = dict[str, Any]


def upstream_url(base: str, scope: Scope, *, websocket: bool) -> str:
    """`base` (LIVEKIT_URL, ws or http) joined with the request's path below /livekit and its
    query string, in the scheme the hop needs."""
    parts = urlsplit(base)
    secure = parts.scheme in ("wss", "https")
    scheme = ("wss" if secure else "ws") if websocket else ("https" if secure else "http")
    path = str(scope["path"])[len(PREFIX) :] or "/"
    query = str(scope.get("query_string", b"").decode("latin-1"))
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + path, query, ""))


def forwarded_headers(scope: Scope) -> dict[str, str]:
    return {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in scope.get("headers", [])
        if name.decode("latin-1").lower() not in HOP_BY_HOP
    }


class LiveKitProxy:
    """An ASGI app for `/livekit/…`: HTTP and WebSocket to LIVEKIT_URL, nothing interpreted."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        # Made on first use, on the server's own event loop (aiohttp binds a session to it).
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=CONNECT_TIMEOUT, auto_decompress=False)
        return self._session

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "websocket":
            await self.websocket(scope, receive, send)
        else:
            await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Any, send: Any) -> None:
        body = bytearray()
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        url = upstream_url(self.base_url, scope, websocket=False)
        try:
            async with self.session().request(
                scope["method"],
                url,
                headers=forwarded_headers(scope),
                data=bytes(body),
                allow_redirects=False,
            ) as upstream:
                payload = await upstream.read()
                headers = [
                    (k.lower().encode("latin-1"), v.encode("latin-1"))
                    for k, v in upstream.headers.items()
                    if k.lower() not in HOP_BY_HOP
                ]
                status = upstream.status
        except (aiohttp.ClientError, TimeoutError):
            status, payload = 503, b"Media server unreachable"
            headers = [(b"content-type", b"text/plain; charset=utf-8")]
        headers.append((b"content-length", str(len(payload)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    async def websocket(self, scope: Scope, receive: Any, send: Any) -> None:
        if (await receive())["type"] != "websocket.connect":
            return
        url = upstream_url(self.base_url, scope, websocket=True)
        protocols = scope.get("subprotocols") or ()
        try:
            upstream = await self.session().ws_connect(
                url, headers=forwarded_headers(scope), protocols=protocols, max_msg_size=0
            )
        except (aiohttp.ClientError, TimeoutError):
            await send({"type": "websocket.close", "code": UPSTREAM_DOWN})
            return
        await send({"type": "websocket.accept", "subprotocol": upstream.protocol})
        async with upstream:
            to_sfu = asyncio.ensure_future(self._client_to_sfu(receive, upstream))
            to_client = asyncio.ensure_future(self._sfu_to_client(upstream, send))
            await asyncio.wait({to_sfu, to_client}, return_when=asyncio.FIRST_COMPLETED)
            for task in (to_sfu, to_client):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    @staticmethod
    async def _client_to_sfu(receive: Any, upstream: aiohttp.ClientWebSocketResponse) -> None:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                await upstream.close()
                return
            if message.get("bytes") is not None:
                await upstream.send_bytes(message["bytes"])
            elif message.get("text") is not None:
                await upstream.send_str(message["text"])

    @staticmethod
    async def _sfu_to_client(upstream: aiohttp.ClientWebSocketResponse, send: Any) -> None:
        async for message in upstream:
            if message.type == aiohttp.WSMsgType.BINARY:
                await send({"type": "websocket.send", "bytes": message.data})
            elif message.type == aiohttp.WSMsgType.TEXT:
                await send({"type": "websocket.send", "text": message.data})
            else:
                break
        code = upstream.close_code or 1000
        # 1005/1006 describe a missing close frame and cannot be sent in one.
        await send({"type": "websocket.close", "code": 1000 if code in (1005, 1006) else code})
