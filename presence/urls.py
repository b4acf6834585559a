"""URL routes of the presence app (the event stream itself is an ASGI route, see routing.py)."""

from django.urls import URLPattern, URLResolver, path, re_path

from .api import LiveKitWebhookApi, UserListApi

urlpatterns: list[URLPattern | URLResolver] = [
    path("users", UserListApi.as_view(), name="users"),
    re_path(r"^livekit/webhook/?$", LiveKitWebhookApi.as_view(), name="livekit-webhook"),
]
