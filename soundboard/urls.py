"""URL routes of the soundboard (mounted under /api/; no trailing slash, core accepts one)."""

from django.urls import URLPattern, URLResolver, path

from . import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("soundboard", api.SoundboardApi.as_view(), name="soundboard"),
    path("soundboard/<str:clip_id>", api.SoundboardClipApi.as_view(), name="soundboard-clip"),
    path(
        "soundboard/<str:clip_id>/audio", api.SoundboardAudioApi.as_view(), name="soundboard-audio"
    ),
    path("soundboard/<str:clip_id>/play", api.SoundboardPlayApi.as_view(), name="soundboard-play"),
]
