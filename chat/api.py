"""HTTP interface of chat: 2.x's send, image upload and image download, exactly as 2.x clients
call them, and our history and deletion. Parse, call one service, serialise."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import request_user
from chat.imaging import FORMATS, NOT_AN_IMAGE
from chat.selectors import image_servable
from chat.services.history import DEFAULT_LIMIT, MAX_LIMIT, NOT_A_MEMBER, history_read
from chat.services.images import NO_IMAGE, STORE_FULL, TOO_LARGE, image_bytes, image_store
from chat.services.messages import (
    EMPTY,
    NO_ROOM,
    NOT_FOUND,
    NOT_YOURS,
    SLOW_DOWN,
    TOO_LONG,
    message_delete,
    message_send,
)
from core.errors import BadRequest, NotFound
from core.files import private_file
from core.parsers import UNEXPECTED_FIELD, UPLOAD_FAILED, body_object, multipart_upload
from core.parsing import MAX_DB_ID, parse_id
from core.schema import AUTH_ERRORS, component, error_responses, path_id
from rooms.api import room_from_path

from .shapes import (
    ChatDeleted,
    ChatHistory,
    ChatImageUploaded,
    ChatImageUploadRequest,
    ChatSendRequest,
    ChatSent,
)

IMAGE_GONE = "Image not found or expired"
BAD_BEFORE = "before must be a message ID"
BAD_LIMIT = f"limit must be a whole number from 1 to {MAX_LIMIT}"
_DIGITS = re.compile(r"[0-9]{1,30}")


class ChatSendApi(APIView):
    @extend_schema(
        summary="Send a chat line to your room (2.x)",
        description="Checks, in 2.x's order: something to send (text that is not blank, or an "
        "image you uploaded within 60 s), the length, the rate (1 a second, 5 in 10 s, per user "
        "across processes; refused sends do not count), a room. chat:message goes to the room's "
        "members, chat:activity to everyone.",
        request=component(ChatSendRequest),
        responses={
            200: component(ChatSent),
            **error_responses({400: [EMPTY, TOO_LONG, NO_ROOM], **AUTH_ERRORS, 429: [SLOW_DOWN]}),
        },
    )
    def post(self, request: Request) -> Response:
        body = body_object(request)
        message_send(
            user=request_user(request), text=body.get("text"), image_id=body.get("imageId")
        )
        return Response(ChatSent(sent=True))


class ChatImageUploadApi(APIView):
    parser_classes = (MultiPartParser,)

    @extend_schema(
        summary="Upload an image for a chat line (2.x)",
        description="Multipart, the file in the field `image`. A part not declared `image/*` "
        "counts as none (2.x); then the bytes decide: only a whole PNG, JPEG, GIF or WebP is "
        "kept, re-encoded without its metadata. Attach it with POST /api/chat/send within 60 s. "
        "The 413's message differs from 2.x's, which said 500KB while its limit was 10 MiB.",
        request={"multipart/form-data": component(ChatImageUploadRequest)},
        responses={
            200: component(ChatImageUploaded),
            **error_responses(
                {
                    400: [NO_IMAGE, UNEXPECTED_FIELD, UPLOAD_FAILED, NOT_AN_IMAGE],
                    **AUTH_ERRORS,
                    413: [TOO_LARGE],
                    429: [STORE_FULL],
                }
            ),
        },
    )
    def post(self, request: Request) -> Response:
        upload = _image_part(request)
        image = image_store(
            user=request_user(request), upload=upload, size=0 if upload is None else upload.size
        )
        return Response(ChatImageUploaded(imageId=str(image.pk)))


def _image_part(request: Request) -> Any:
    """The `image` file of a multipart body as 2.x's multer saw it: None if absent or not
    declared `image/*` (dropped), `Unexpected field` for a file anywhere else or a second one."""
    upload, _ = multipart_upload(request, "image")
    if upload is None or not (upload.content_type or "").startswith("image/"):
        return None
    return upload


class ChatImageApi(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        summary="An image of a chat line, no authentication (2.x: <img> cannot send a token)",
        description="The id is an unguessable UUID. Served with the type its bytes are, inline, "
        "never sniffed, for as long as the line keeps it (CHAT_IMAGE_RETENTION) or, before it "
        "is sent, 60 s.",
        parameters=[OpenApiParameter("image_id", str, OpenApiParameter.PATH)],
        responses={
            **{
                (200, content_type): OpenApiResponse(OpenApiTypes.BINARY)
                for content_type, _ in FORMATS.values()
            },
            **error_responses({404: [IMAGE_GONE]}),
        },
    )
    def get(self, request: Request, image_id: str) -> HttpResponse:
        image = image_servable(image_id)
        if image is None:
            raise NotFound(IMAGE_GONE)
        try:
            data = image_bytes(image)
        except OSError as exc:
            raise NotFound(IMAGE_GONE) from exc
        return private_file(
            data, content_type=image.content_type, file_name=image.file_name, max_age=60
        )


class ChatMessageApi(APIView):
    @extend_schema(
        summary="Delete a chat line: its author, the room's creator, or staff",
        description="Its text and image are gone at once; chat:deleted goes to the room's members.",
        parameters=[path_id("message_id")],
        request=None,
        responses={
            200: component(ChatDeleted),
            **error_responses(
                {400: ["Invalid message ID"], **AUTH_ERRORS, 403: [NOT_YOURS], 404: [NOT_FOUND]}
            ),
        },
    )
    def delete(self, request: Request, message_id: str) -> Response:
        message_delete(message_id=parse_id(message_id, kind="message"), actor=request_user(request))
        return Response(ChatDeleted(deleted=True))


class RoomMessagesApi(APIView):
    @extend_schema(
        summary="A room's chat history, newest first (members only)",
        description=f"Pages of `limit` lines (default {DEFAULT_LIMIT}); pass the answer's "
        "`nextBefore` as `before` for the older page. Lines past CHAT_TEXT_RETENTION are gone.",
        parameters=[
            path_id("room_id"),
            OpenApiParameter("before", int, description="Only lines older than this message id"),
            OpenApiParameter("limit", int, description=f"1 to {MAX_LIMIT}"),
        ],
        responses={
            200: component(ChatHistory),
            **error_responses(
                {
                    400: ["Invalid room ID", BAD_BEFORE, BAD_LIMIT],
                    **AUTH_ERRORS,
                    403: [NOT_A_MEMBER],
                    404: ["Room not found"],
                }
            ),
        },
    )
    def get(self, request: Request, room_id: str) -> Response:
        room = room_from_path(room_id)
        before = _whole(request.query_params.get("before"), BAD_BEFORE, low=1)
        limit = _whole(request.query_params.get("limit"), BAD_LIMIT, low=1, high=MAX_LIMIT)
        history = history_read(
            user=request_user(request),
            room=room,
            before=None if before is None else min(before, MAX_DB_ID),
            limit=DEFAULT_LIMIT if limit is None else limit,
        )
        return Response(history)


def _whole(raw: str | None, message: str, *, low: int, high: int | None = None) -> int | None:
    """A query parameter that must be a whole number in range, or absent (None)."""
    if raw is None:
        return None
    if not _DIGITS.fullmatch(raw):
        raise BadRequest(message)
    value = int(raw)
    if value < low or (high is not None and value > high):
        raise BadRequest(message)
    return value
