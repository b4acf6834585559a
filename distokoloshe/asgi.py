"""ASGI entry point: Django for HTTP, presence consumers for the WebSocket and SSE stream, and
the server's start and stop (the in-process deadline scheduler)."""

import os
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "distokoloshe.settings")

from core.handlers import get_asgi_application

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import re_path  # noqa: E402

from core import scheduler  # noqa: E402
from presence.auth import BrowserOriginValidator, WebSocketAuthMiddleware  # noqa: E402
from presence.routing import http_urlpatterns, websocket_urlpatterns  # noqa: E402


async def lifespan(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Starts the in-process scheduler with the server, on its event loop, so deadlines that
    fell due while it was down fire at once, not at the first request."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            scheduler.start_in_process()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


application = ProtocolTypeRouter(
    {
        "http": URLRouter(
            [*http_urlpatterns, re_path(r"", django_asgi_app)]  # type: ignore[arg-type]
        ),
        # Browsers send Origin on WebSocket handshakes; a page on another site must not be able
        # to open one with the user's session cookie.
        "websocket": BrowserOriginValidator(
            WebSocketAuthMiddleware(URLRouter(websocket_urlpatterns))
        ),
        "lifespan": lifespan,
    }
)
