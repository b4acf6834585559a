"""URL routes of the rooms app (no trailing slash; core's middleware accepts one).

`rooms/members` comes before the id routes; ids are captured as any segment and parsed like
1.x's parseInt by the views, so `12abc` is room 12 and `abc` is `Invalid room ID`.
"""

from django.urls import URLPattern, URLResolver, path

from . import api, whispers_api

urlpatterns: list[URLPattern | URLResolver] = [
    path("rooms", api.RoomListApi.as_view(), name="rooms"),
    path("rooms/members", api.RoomMembersApi.as_view(), name="room-members"),
    path("rooms/<str:room_id>", api.RoomDetailApi.as_view(), name="room-detail"),
    path("rooms/<str:room_id>/join", api.RoomJoinApi.as_view(), name="room-join"),
    path("rooms/<str:room_id>/leave", api.RoomLeaveApi.as_view(), name="room-leave"),
    path("rooms/<str:room_id>/sync", api.RoomSyncApi.as_view(), name="room-sync"),
    path("rooms/<str:room_id>/mode", whispers_api.RoomModeApi.as_view(), name="room-mode"),
    path("rooms/<str:room_id>/chain", whispers_api.RoomChainApi.as_view(), name="room-chain"),
]
