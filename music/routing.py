"""ASGI routes owned by music: 2.x's pipe WebSocket, which authenticates itself (a `?token=`)
and carries no Origin, so it sits outside the browser Origin check."""

from django.urls import URLPattern, URLResolver, re_path

from .pipe import PipeConsumer

websocket_urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^api/music/pipe$", PipeConsumer.as_asgi()),
]
