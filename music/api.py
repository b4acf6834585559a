"""HTTP interface of DJ Tokoloshe: 2.x's `/api/music/*` routes and answers, for the room a
request names (`roomId`) or the caller's room. Parse, call one service, serialise."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions as drf_exceptions
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import request_user
from core.errors import BadRequest
from core.parsers import body_object
from core.schema import AUTH_ERRORS, component, error_responses
from realtime.payloads import MusicStatus

from .selectors import entry_ref, music_status
from .services import configure, control, rooms, uploads
from .shapes import (
    Ok,
    Paused,
    QueueAdded,
    QueueRequest,
    QueueUploadRequest,
    RemoveRequest,
    RoomRequest,
    SettingsRequest,
    StationRequest,
)

_ROOM_ERRORS = {400: [rooms.NO_ROOM, rooms.BAD_ROOM], **AUTH_ERRORS}
_CONTROL_ERRORS = {
    **_ROOM_ERRORS,
    403: [rooms.NOT_A_MEMBER, rooms.LOCKED],
    404: [rooms.ROOM_NOT_FOUND],
    409: [rooms.NOT_ENABLED],
}
_CONTROL_NOTE = (
    " For the room in `roomId`, else the caller's room; its members may control it, only its "
    "creator while it is locked. music:status goes to the room's members."
)


def _room_id(request: Request, body: dict[str, Any]) -> int:
    raw = body.get("roomId")
    if raw is None and request.query_params.get("roomId") is not None:
        raw = _query_id(request.query_params["roomId"])
    return rooms.music_room_id(user=request_user(request), raw_room_id=raw)


def _query_id(raw: str) -> Any:
    # A room id from a query or a form field: digits are an id, anything else is refused.
    return int(raw) if raw.isdigit() and len(raw) < 20 else raw


class MusicStatusApi(APIView):
    @extend_schema(
        summary="A room's music player (2.x's MusicStatus)",
        description="For `roomId`, else the caller's room; members and staff may read it. A room "
        "whose creator never turned music on answers `enabled: false`.",
        parameters=[OpenApiParameter("roomId", int, required=False)],
        responses={
            200: component(MusicStatus),
            **error_responses(
                {**_ROOM_ERRORS, 403: [rooms.NOT_A_MEMBER], 404: [rooms.ROOM_NOT_FOUND]}
            ),
        },
    )
    def get(self, request: Request) -> Response:
        room_id = _room_id(request, {})
        player = rooms.player_for_reading(user=request_user(request), room_id=room_id)
        return Response(music_status(player))


class MusicQueueApi(APIView):
    @extend_schema(
        summary="Queue a URL (2.x); during radio it plays at once",
        description="Checked in 2.x's order: present, HTTP(S), at most 2048 characters, the "
        "queue not full (50)." + _CONTROL_NOTE,
        request=component(QueueRequest),
        responses={
            200: component(QueueAdded),
            **error_responses(
                {
                    **_CONTROL_ERRORS,
                    400: [*_ROOM_ERRORS[400], control.URL_REQUIRED, control.URL_INVALID,
                          control.URL_TOO_LONG, control.QUEUE_FULL],
                }
            ),
        },
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        body = body_object(request)
        url = control.queue_url(body.get("url"))
        entry = control.music_enqueue(
            user=request_user(request),
            room_id=_room_id(request, body),
            url=url,
            title=control.entry_title(body.get("title"), fallback=url),
        )
        return Response(QueueAdded(entry=entry_ref(entry)))


class MusicUploadApi(APIView):
    parser_classes = (MultiPartParser,)

    @extend_schema(
        summary="Queue an audio file (ours)",
        description="Multipart: `file`, optional `title` and `roomId`. ffprobe must find audio "
        "in it; it is kept until it has played or is removed." + _CONTROL_NOTE,
        request={"multipart/form-data": component(QueueUploadRequest)},
        responses={
            200: component(QueueAdded),
            **error_responses(
                {
                    **_CONTROL_ERRORS,
                    400: [*_ROOM_ERRORS[400], uploads.NO_FILE, uploads.NOT_AUDIO,
                          control.QUEUE_FULL],
                    413: ["File too large (max 50 MB)"],
                }
            ),
        },
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        try:
            upload, form = request.FILES.get("file"), request.POST
        except (drf_exceptions.ParseError, drf_exceptions.UnsupportedMediaType) as exc:
            raise BadRequest(uploads.NO_FILE) from exc
        raw_room = form.get("roomId")
        body = {} if raw_room is None else {"roomId": _query_id(raw_room)}
        entry = uploads.music_upload(
            user=request_user(request),
            room_id=_room_id(request, body),
            upload=upload,
            title=form.get("title"),
        )
        return Response(QueueAdded(entry=entry_ref(entry)))


class MusicRemoveApi(APIView):
    @extend_schema(
        summary="Take an entry off the queue (2.x)",
        description="`ok` is false if it was not there." + _CONTROL_NOTE,
        request=component(RemoveRequest),
        responses={
            200: component(Ok),
            **error_responses({**_CONTROL_ERRORS, 400: [*_ROOM_ERRORS[400], control.ID_REQUIRED]}),
        },
    )
    def post(self, request: Request) -> Response:
        body = body_object(request)
        if not isinstance(body.get("id"), str) or not body["id"]:
            raise BadRequest(control.ID_REQUIRED)
        removed = control.music_remove(
            user=request_user(request), room_id=_room_id(request, body), entry_id=body["id"]
        )
        return Response(Ok(ok=removed))


class MusicSkipApi(APIView):
    @extend_schema(
        summary="Play the next entry (2.x); only the queue skips",
        description="An empty queue falls back to the radio." + _CONTROL_NOTE,
        request=component(RoomRequest),
        responses={200: component(Ok), **error_responses(_CONTROL_ERRORS)},
    )
    def post(self, request: Request) -> Response:
        body = body_object(request)
        control.music_skip(user=request_user(request), room_id=_room_id(request, body))
        return Response(Ok(ok=True))


class MusicStationApi(APIView):
    @extend_schema(
        summary="Tune to a station (2.x)",
        description="The queue waits; queueing again plays it." + _CONTROL_NOTE,
        request=component(StationRequest),
        responses={
            200: component(Ok),
            **error_responses({**_CONTROL_ERRORS, 400: [*_ROOM_ERRORS[400], control.BAD_STATION]}),
        },
    )
    def post(self, request: Request) -> Response:
        body = body_object(request)
        control.music_station(
            user=request_user(request),
            room_id=_room_id(request, body),
            station_id=body.get("stationId"),
        )
        return Response(Ok(ok=True))


class MusicPauseApi(APIView):
    @extend_schema(
        summary="Pause or resume (2.x)",
        description="A toggle; the answer says which it is now." + _CONTROL_NOTE,
        request=component(RoomRequest),
        responses={200: component(Paused), **error_responses(_CONTROL_ERRORS)},
    )
    def post(self, request: Request) -> Response:
        body = body_object(request)
        paused = control.music_pause(user=request_user(request), room_id=_room_id(request, body))
        return Response(Paused(paused=paused))


class MusicSettingsApi(APIView):
    @extend_schema(
        summary="Turn a room's music on or off, lock or unlock it (ours: the room's creator)",
        description="Turning it on starts the radio on the first station. The bot joins a room "
        "whose music is on while someone is in it. music:status goes to the room's members.",
        request=component(SettingsRequest),
        responses={
            200: component(MusicStatus),
            **error_responses(
                {
                    **_ROOM_ERRORS,
                    400: [*_ROOM_ERRORS[400], "enabled must be true or false"],
                    403: [configure.NOT_CREATOR],
                    404: [configure.ROOM_NOT_FOUND],
                }
            ),
        },
    )
    def post(self, request: Request) -> Response:
        body = body_object(request)
        player = configure.music_configure(
            user=request_user(request),
            room_id=_room_id(request, body),
            enabled=body.get("enabled"),
            locked=body.get("locked"),
        )
        return Response(music_status(player))
