"""ASGI entry point: Django for HTTP, presence consumers for the WebSocket and SSE stream."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "distokoloshe.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402

from presence.routing import http_urlpatterns, websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": URLRouter(
            [*http_urlpatterns, re_path(r"", django_asgi_app)]  # type: ignore[arg-type]
        ),
        # Browsers send Origin on WebSocket handshakes; a page on another site must not be able
        # to open one with the user's session cookie.
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)
