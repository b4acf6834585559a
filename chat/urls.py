"""URL routes of the chat app (mounted under /api/; no trailing slash, core accepts one)."""

from django.urls import URLPattern, URLResolver, path

from . import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("chat/send", api.ChatSendApi.as_view(), name="chat-send"),
    path("chat/image", api.ChatImageUploadApi.as_view(), name="chat-image-upload"),
    path("chat/image/<str:image_id>", api.ChatImageApi.as_view(), name="chat-image"),
    path("chat/messages/<str:message_id>", api.ChatMessageApi.as_view(), name="chat-message"),
    path("rooms/<str:room_id>/messages", api.RoomMessagesApi.as_view(), name="room-messages"),
]
