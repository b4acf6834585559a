"""HTTP interface of whispers mode (1.x `POST /api/rooms/:id/mode`, `GET /api/rooms/:id/chain`):
parse, call one service, serialise."""

from __future__ import annotations

from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.parsing import parse_id

from .selectors import whisper_chain
from .whispers_services import whispers_mode_set

# Ids beyond what the database can hold belong to no row (parseInt accepts any length).
_MAX_ID = 2**63 - 1


def _caller(request: Request) -> User:
    # IsAuthenticated has already run; this only narrows the type for the services.
    if not isinstance(request.user, User):
        raise NotAuthenticated()
    return request.user


def _room_id(raw: str) -> int:
    value = parse_id(raw, kind="room")
    return value if 0 < value <= _MAX_ID else 0


class RoomModeApi(APIView):
    """`POST /api/rooms/{id}/mode`: any member switches whispers on or off."""

    def post(self, request: Request, room_id: str) -> Response:
        room = _room_id(room_id)
        body = request.data if isinstance(request.data, dict) else {}
        chain = whispers_mode_set(room_id=room, user=_caller(request), mode=body.get("mode"))
        if chain is None:
            return Response({"mode": "normal"})
        return Response({"mode": "whispers", "chain": chain})


class RoomChainApi(APIView):
    """`GET /api/rooms/{id}/chain`: a room's whispers chain in position order."""

    def get(self, request: Request, room_id: str) -> Response:
        return Response({"chain": whisper_chain(_room_id(room_id))})
