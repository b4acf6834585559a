"""URL routes of DJ Tokoloshe (mounted under /api/; the pipe is a WebSocket, in routing.py)."""

from django.urls import URLPattern, URLResolver, path

from . import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("music/status", api.MusicStatusApi.as_view(), name="music-status"),
    path("music/queue", api.MusicQueueApi.as_view(), name="music-queue"),
    path("music/upload", api.MusicUploadApi.as_view(), name="music-upload"),
    path("music/remove", api.MusicRemoveApi.as_view(), name="music-remove"),
    path("music/skip", api.MusicSkipApi.as_view(), name="music-skip"),
    path("music/station", api.MusicStationApi.as_view(), name="music-station"),
    path("music/pause", api.MusicPauseApi.as_view(), name="music-pause"),
    path("music/settings", api.MusicSettingsApi.as_view(), name="music-settings"),
]
