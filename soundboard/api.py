"""HTTP interface of the soundboard: 2.x's list, upload, audio, play and delete, exactly where
and as 2.x clients call them. Parse, call one service, serialise."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import request_user
from core.errors import NotFound
from core.files import private_file
from core.parsers import (
    UNEXPECTED_FIELD,
    UPLOAD_FAILED,
    LenientJSONParser,
    body_object,
    multipart_upload,
)
from core.parsing import parse_id
from core.schema import AUTH_ERRORS, component, error_responses, path_id

from . import audio
from .models import Clip
from .selectors import clip_new, clips_listed
from .services.clips import (
    NAME_REQUIRED,
    NAME_TOO_LONG,
    NO_FILE,
    NOT_FOUND,
    NOT_YOURS,
    ONLY_AUDIO,
    SLOW_UPLOADS,
    TOO_LARGE,
    bytes_limit_message,
    clip_bytes,
    clip_delete,
    clip_upload,
    count_limit_message,
)
from .services.playing import SLOW_PLAYS, clip_play
from .shapes import (
    ClipDeleted,
    ClipList,
    ClipPlayed,
    ClipPlayRequest,
    ClipUploaded,
    ClipUploadRequest,
)

INVALID_ID = "Invalid clip ID"
_AUDIO_REFUSALS = [
    audio.NOT_AUDIO,
    audio.TRUNCATED,
    audio.LYING_HEADER,
    audio.TOO_SHORT,
    "Clip must be 10 seconds or less (got 12.3s)",
]


class SoundboardApi(APIView):
    parser_classes = (MultiPartParser, LenientJSONParser)

    @extend_schema(
        summary="Every soundboard clip, newest first (2.x)",
        responses={200: component(ClipList), **error_responses(AUTH_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        return Response(ClipList(clips=clips_listed()))

    @extend_schema(
        summary="Upload a soundboard clip (2.x)",
        description="Multipart: the audio in `file`, its name in `name`. 2.x's checks in 2.x's "
        "order (the declared type, 15 MiB, a file, the clip count quota, the name), then ours: "
        "SOUNDBOARD_UPLOAD_RATE, and the bytes decide: the file must decode (ffmpeg) to a "
        "whole clip of at most SOUNDBOARD_MAX_SECONDS, and fit the byte quota once stored. "
        "What is kept is mono Ogg Opus, loudness-normalised. soundboard:created goes to "
        "everyone.",
        request={"multipart/form-data": component(ClipUploadRequest)},
        responses={
            201: component(ClipUploaded),
            **error_responses(
                {
                    400: [
                        ONLY_AUDIO,
                        UNEXPECTED_FIELD,
                        UPLOAD_FAILED,
                        NO_FILE,
                        count_limit_message(),
                        NAME_REQUIRED,
                        NAME_TOO_LONG,
                        *_AUDIO_REFUSALS,
                        bytes_limit_message(),
                    ],
                    **AUTH_ERRORS,
                    413: [TOO_LARGE],
                    429: [SLOW_UPLOADS],
                    503: [audio.UNAVAILABLE, audio.BUSY],
                }
            ),
        },
    )
    def post(self, request: Request) -> Response:
        upload, name = _clip_parts(request)
        clip = clip_upload(user=request_user(request), upload=upload, name=name)
        return Response(ClipUploaded(clip=clip_new(clip)), status=201)


def _clip_parts(request: Request) -> tuple[Any, Any]:
    """The `file` and `name` of a multipart body (2.x's multer's reading)."""
    upload, fields = multipart_upload(request, "file")
    name = fields.get("name") if hasattr(fields, "get") else None
    return upload, name


def _clip(raw_id: str) -> Clip:
    clip = Clip.objects.filter(pk=parse_id(raw_id, kind="clip")).first()
    if clip is None:
        raise NotFound(NOT_FOUND)
    return clip


class SoundboardAudioApi(APIView):
    @extend_schema(
        summary="A clip's audio (2.x)",
        description="Ogg Opus. Clips never change, so it may be cached; privately, since it "
        "takes a login (2.x said public).",
        parameters=[path_id("clip_id")],
        responses={
            (200, audio.CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            **error_responses({400: [INVALID_ID], **AUTH_ERRORS, 404: [NOT_FOUND]}),
        },
    )
    def get(self, request: Request, clip_id: str) -> HttpResponse:
        clip = _clip(clip_id)
        try:
            data = clip_bytes(clip)
        except OSError as exc:
            raise NotFound(NOT_FOUND) from exc
        name = f"clip-{clip.pk}.{audio.EXTENSION}"
        return private_file(data, content_type=clip.mime_type, file_name=name, max_age=86400)


class SoundboardPlayApi(APIView):
    @extend_schema(
        summary="Tell your room you play a clip (2.x)",
        description="The sound itself is the player's `soundboard` LiveKit track. "
        "soundboard:playing goes to the members of the player's room only (a jailed user's "
        "is the jail); in no room, nobody is told. At most SOUNDBOARD_PLAY_RATE plays.",
        parameters=[path_id("clip_id")],
        request=component(ClipPlayRequest),
        responses={
            200: component(ClipPlayed),
            **error_responses(
                {400: [INVALID_ID], **AUTH_ERRORS, 404: [NOT_FOUND], 429: [SLOW_PLAYS]}
            ),
        },
    )
    def post(self, request: Request, clip_id: str) -> Response:
        raw_id = parse_id(clip_id, kind="clip")
        body = body_object(request)
        clip_play(clip_id=raw_id, user=request_user(request), duration_ms=body.get("durationMs"))
        return Response(ClipPlayed(notified=True))


class SoundboardClipApi(APIView):
    @extend_schema(
        summary="Delete a clip: its uploader or staff (2.x let anyone)",
        description="The file goes with it; soundboard:deleted goes to everyone.",
        parameters=[path_id("clip_id")],
        request=None,
        responses={
            200: component(ClipDeleted),
            **error_responses(
                {400: [INVALID_ID], **AUTH_ERRORS, 403: [NOT_YOURS], 404: [NOT_FOUND]}
            ),
        },
    )
    def delete(self, request: Request, clip_id: str) -> Response:
        clip_delete(clip_id=parse_id(clip_id, kind="clip"), actor=request_user(request))
        return Response(ClipDeleted(deleted=True))
