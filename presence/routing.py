"""ASGI routes owned by presence: the WebSocket and the 1.x SSE stream."""

from channels.security.websocket import WebsocketDenier
from django.urls import URLPattern, URLResolver, re_path

from .consumers import EventsConsumer
from .sse import EventStreamConsumer

websocket_urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^ws/events/?$", EventsConsumer.as_asgi()),
    # Any other WebSocket path is refused at the handshake rather than crashing the router.
    re_path(r"", WebsocketDenier.as_asgi()),
]
# 1.x matched paths case-insensitively with an optional trailing slash.
http_urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"(?i)^api/events/?$", EventStreamConsumer.as_asgi()),
]
