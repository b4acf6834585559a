"""The wire shapes of the chat endpoints (the `chat:message` payload is an event, in
`realtime.events`): 2.x's send and upload, and the history and deletion that are ours."""

from __future__ import annotations

from typing import Annotated, NotRequired, TypedDict

from realtime.payloads import UserRef


class ChatSendRequest(TypedDict):
    text: NotRequired[Annotated[str, "Trimmed; at most 200 UTF-16 units"]]
    imageId: NotRequired[Annotated[str, "From POST /api/chat/image, within 60 s of the upload"]]


class ChatSent(TypedDict):
    sent: bool


class ChatImageUploadRequest(TypedDict):
    image: Annotated[str, "The image file (PNG, JPEG, GIF or WebP), at most 10 MiB"]


class ChatImageUploaded(TypedDict):
    imageId: Annotated[str, "A UUID, for POST /api/chat/send and GET /api/chat/image/{id}"]


class ChatLine(TypedDict):
    """A line of a room's history: the `chat:message` payload as it was sent, kept."""

    id: int
    roomId: int
    user: Annotated[UserRef | None, "null when the author's account was deleted"]
    text: NotRequired[str]
    imageId: NotRequired[str]
    imageExpired: NotRequired[Annotated[bool, "It had an image, since deleted (retention)"]]
    ts: Annotated[int, "When it was sent, epoch milliseconds"]


class ChatHistory(TypedDict):
    messages: Annotated[list[ChatLine], "Newest first"]
    nextBefore: Annotated[int | None, "`before` for the next (older) page; null at the start"]


class ChatDeleted(TypedDict):
    deleted: bool
