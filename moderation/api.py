"""HTTP interface of moderation (1.x `/api/votes`, `/api/punishments`, room punishments):
parse, call one service, serialise."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.parsing import parse_id
from core.timefmt import sql_ts

from . import services
from .selectors import room_active_punishments, user_active_punishments

# Ids beyond what the database can hold belong to no row (parseInt accepts any length).
_MAX_ID = 2**63 - 1


def _caller(request: Request) -> User:
    # IsAuthenticated has already run; this only narrows the type for the services.
    if not isinstance(request.user, User):
        raise NotAuthenticated()
    return request.user


def _body(request: Request) -> dict[str, Any]:
    # 1.x read a JSON array or scalar body as an object with no fields.
    return request.data if isinstance(request.data, dict) else {}


def _row_id(raw: str, *, kind: str) -> int:
    # Out-of-range ids become 0, which no row has, so the service answers its own "not found".
    value = parse_id(raw, kind=kind)
    return value if 0 < value <= _MAX_ID else 0


class VoteStartApi(APIView):
    """`POST /api/votes`: start a jail vote in the caller's room."""

    def post(self, request: Request) -> Response:
        body = _body(request)
        vote = services.vote_start(
            user=_caller(request),
            target_user_id=body.get("targetUserId"),
            duration_secs=body.get("durationSecs"),
        )
        return Response(
            {
                "vote": {
                    "id": vote.pk,
                    "sourceRoomId": vote.source_room_id,
                    "targetUserId": vote.target_id,
                    "durationSecs": vote.duration_secs,
                    "eligibleCount": vote.eligible_count,
                    "expiresAt": sql_ts(vote.expires_at),
                }
            },
            status=201,
        )


class BallotCastApi(APIView):
    """`POST /api/votes/{id}/ballot`: vote yes or no."""

    def post(self, request: Request, vote_id: str) -> Response:
        tally = services.ballot_cast(
            vote_id=_row_id(vote_id, kind="vote"),
            user=_caller(request),
            vote_yes=_body(request).get("voteYes"),
        )
        return Response(
            {
                "voteId": tally.vote_id,
                "yesCount": tally.yes_count,
                "noCount": tally.no_count,
                "eligibleCount": tally.eligible_count,
            }
        )


class PunishmentsActiveApi(APIView):
    """`GET /api/punishments/active`: the caller's own punishments in force."""

    def get(self, request: Request) -> Response:
        return Response({"punishments": user_active_punishments(user_id=_caller(request).pk)})


class PunishmentLiftApi(APIView):
    """`POST /api/punishments/{id}/lift`: end a punishment early (room creator or staff)."""

    def post(self, request: Request, punishment_id: str) -> Response:
        services.punishment_lift(
            punishment_id=_row_id(punishment_id, kind="punishment"), actor=_caller(request)
        )
        return Response({"lifted": True})


class RoomPunishmentsApi(APIView):
    """`GET /api/rooms/{id}/punishments`: who is jailed from a room right now."""

    def get(self, request: Request, room_id: str) -> Response:
        rows = room_active_punishments(room_id=_row_id(room_id, kind="room"))
        return Response({"punishments": rows})
