"""URL routes of the presence app (the event stream itself is an ASGI route, see routing.py)."""

from django.urls import URLPattern, URLResolver, path, re_path

from .account_api import AccountApi, AccountPasswordApi
from .api import EventsLeaveApi, EventsPingApi, LiveKitWebhookApi, UserListApi
from .settings_api import UserSettingsApi

urlpatterns: list[URLPattern | URLResolver] = [
    path("users", UserListApi.as_view(), name="users"),
    path("users/me/settings", UserSettingsApi.as_view(), name="user-settings"),
    path("account", AccountApi.as_view(), name="account"),
    path("account/password", AccountPasswordApi.as_view(), name="account-password"),
    # The event stream itself, /api/events, is served before Django (routing.py).
    path("events/ping", EventsPingApi.as_view(), name="events-ping"),
    path("events/leave", EventsLeaveApi.as_view(), name="events-leave"),
    re_path(r"^livekit/webhook/?$", LiveKitWebhookApi.as_view(), name="livekit-webhook"),
]
