"""HTTP interface of whispers mode (1.x `POST /api/rooms/:id/mode`, `GET /api/rooms/:id/chain`):
parse, call one service, serialise."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import request_user
from core.parsers import body_object
from core.parsing import parse_id
from core.schema import AUTH_ERRORS, component, error_responses, path_id
from rooms.services.whispers import whispers_mode_set

from .selectors import whisper_chain
from .shapes import RoomChain, RoomMode, RoomModeRequest


class RoomModeApi(APIView):
    @extend_schema(
        summary="Switch whispers mode on or off; any member may (1.x)",
        description="whispers: a fresh shuffle, whispers:activated to the room. normal: the "
        "chain is cleared, whispers:deactivated to the room. Both name who did it (`by`, an "
        "ActorRef 1.x clients ignore). room:updated when the mode changes.",
        parameters=[path_id("room_id")],
        request=component(RoomModeRequest),
        responses={
            200: component(RoomMode),
            **error_responses(
                {
                    400: [
                        "Invalid room ID",
                        'mode must be "normal" or "whispers"',
                        "Cannot change mode of jail rooms",
                        "Need at least 2 participants for Whispers",
                    ],
                    **AUTH_ERRORS,
                    403: ["You must be in the room to change its mode"],
                    404: ["Room not found"],
                }
            ),
        },
    )
    def post(self, request: Request, room_id: str) -> Response:
        room = parse_id(room_id, kind="room")
        body = body_object(request)
        chain = whispers_mode_set(room_id=room, user=request_user(request), mode=body.get("mode"))
        if chain is None:
            return Response(RoomMode(mode="normal"))
        return Response(RoomMode(mode="whispers", chain=chain))


class RoomChainApi(APIView):
    @extend_schema(
        summary="A room's whispers chain in position order (1.x)",
        parameters=[path_id("room_id")],
        responses={
            200: component(RoomChain),
            **error_responses({400: ["Invalid room ID"], **AUTH_ERRORS}),
        },
    )
    def get(self, request: Request, room_id: str) -> Response:
        return Response(RoomChain(chain=whisper_chain(parse_id(room_id, kind="room"))))
