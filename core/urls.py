"""URL routes shared by the whole API (health, ping, server info)."""

from django.urls import URLPattern, URLResolver, path

from . import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("health", api.HealthApi.as_view(), name="health"),
    path("ping", api.PingApi.as_view(), name="ping"),
    path("server-info", api.ServerInfoApi.as_view(), name="server-info"),
]
