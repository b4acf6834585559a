"""URL routes of the moderation app (mounted under /api/). Ids are captured as any segment and
parsed like JavaScript's parseInt; the trailing slash is optional, as in 1.x."""

from django.urls import URLPattern, URLResolver, re_path

from . import api

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^votes/?$", api.VoteStartApi.as_view(), name="vote-start"),
    re_path(r"^votes/(?P<vote_id>[^/]+)/ballot/?$", api.BallotCastApi.as_view(), name="ballot"),
    re_path(
        r"^punishments/active/?$", api.PunishmentsActiveApi.as_view(), name="punishments-active"
    ),
    re_path(
        r"^punishments/(?P<punishment_id>[^/]+)/lift/?$",
        api.PunishmentLiftApi.as_view(),
        name="punishment-lift",
    ),
    re_path(
        r"^rooms/(?P<room_id>[^/]+)/punishments/?$",
        api.RoomPunishmentsApi.as_view(),
        name="room-punishments",
    ),
]
