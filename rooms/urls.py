"""URL routes of the rooms app."""

from django.urls import URLPattern, URLResolver, re_path

from . import whispers_api

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^rooms/(?P<room_id>[^/]+)/mode/?$", whispers_api.RoomModeApi.as_view()),
    re_path(r"^rooms/(?P<room_id>[^/]+)/chain/?$", whispers_api.RoomChainApi.as_view()),
]
