"""ASGI entry point: Django for HTTP, presence consumers for the WebSocket and SSE stream, the
server's start and stop (the in-process deadline scheduler), and with LIVEKIT_PROXY the SFU's
`/livekit/` passed through."""

import os
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "distokoloshe.settings")

from core.handlers import get_asgi_application

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import re_path  # noqa: E402

from core import scheduler  # noqa: E402
from music.routing import websocket_urlpatterns as music_websockets  # noqa: E402
from presence.auth import BrowserOriginValidator, WebSocketAuthMiddleware  # noqa: E402
from presence.routing import http_urlpatterns, websocket_urlpatterns  # noqa: E402
from sfu.proxy import LiveKitProxy  # noqa: E402


async def lifespan(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Starts the in-process scheduler with the server, on its event loop, so deadlines that
    fell due while it was down fire at once, not at the first request; and with
    MUSIC_IN_PROCESS the DJ, which leaves its rooms when the server stops."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            scheduler.start_in_process()
            if settings.MUSIC_IN_PROCESS:
                # Imported here: LiveKit's native library loads only where the DJ runs.
                from music.bot import dj

                dj.start_in_process()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            if settings.MUSIC_IN_PROCESS:
                from music.bot import dj

                await dj.stop_in_process()
            await send({"type": "lifespan.shutdown.complete"})
            return


# Ahead of everything else, and outside our session and Origin checks: LiveKit authenticates
# its own clients by the token in the query string.
livekit_routes = (
    [re_path(r"^livekit/", LiveKitProxy(settings.LIVEKIT_URL))]  # type: ignore[arg-type]
    if settings.LIVEKIT_PROXY
    else []
)

application = ProtocolTypeRouter(
    {
        "http": URLRouter(
            [*livekit_routes, *http_urlpatterns, re_path(r"", django_asgi_app)]  # type: ignore[arg-type]
        ),
        "websocket": URLRouter(
            [
                *livekit_routes,
                # 2.x's desktop pipe: no Origin, a token in the query (music.pipe checks it).
                *music_websockets,
                # Browsers send Origin on WebSocket handshakes; a page on another site must not
                # be able to open one with the user's session cookie.
                re_path(
                    r"",
                    BrowserOriginValidator(
                        WebSocketAuthMiddleware(URLRouter(websocket_urlpatterns))
                    ),
                ),
            ]
        ),
        "lifespan": lifespan,
    }
)
