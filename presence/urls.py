"""URL routes of the presence app (the event stream itself is an ASGI route, see routing.py)."""

from django.urls import URLPattern, URLResolver, re_path

from .api import LiveKitWebhookApi

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^livekit/webhook/?$", LiveKitWebhookApi.as_view(), name="livekit-webhook"),
]
