"""ASGI routes owned by presence: the WebSocket and the 1.x SSE stream."""

from django.urls import URLPattern, URLResolver

websocket_urlpatterns: list[URLPattern | URLResolver] = []
http_urlpatterns: list[URLPattern | URLResolver] = []
