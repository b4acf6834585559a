"""ASGI entry point: Django for HTTP, presence consumers for the WebSocket and SSE stream."""

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

router = ProtocolTypeRouter(
    {
        "http": URLRouter(
            [*http_urlpatterns, re_path(r"", django_asgi_app)]  # type: ignore[arg-type]
        ),
        # Browsers send Origin on WebSocket handshakes; a page on another site must not be able
        # to open one with the user's session cookie.
        "websocket": BrowserOriginValidator(
            WebSocketAuthMiddleware(URLRouter(websocket_urlpatterns))
        ),
    }
)


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    # Daphne has no lifespan events, so the in-process scheduler starts with the first
    # connection, on the server's own event loop.
    scheduler.start_in_process()
    await router(scope, receive, send)
