"""HTTP interface of moderation (1.x `/api/votes`, `/api/punishments`, room punishments):
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
from moderation.services import votes
from moderation.services.punishments import punishment_lift
from moderation.services.votes import VOTE_GONE, ballot_cast, vote_start

from .selectors import room_active_punishments, user_active_punishments, vote_summary
from .shapes import (
    BallotRequest,
    BallotTally,
    Lifted,
    MyPunishments,
    RoomPunishments,
    VoteCreated,
    VoteStartRequest,
)


class VoteStartApi(APIView):
    @extend_schema(
        summary="Start a vote to jail someone in the caller's room (1.x)",
        description="The caller's yes is counted at once; vote:started goes to the room.",
        request=component(VoteStartRequest),
        responses={
            201: component(VoteCreated),
            **error_responses(
                {
                    400: [
                        "targetUserId and durationSecs are required",
                        "durationSecs must be 60, 300, 900, or 1800",
                        "Cannot vote against yourself",
                        "You must be in a room to start a vote",
                        "Cannot start votes in jail rooms",
                        "Target must be in the same room",
                        "Need at least 3 people in the room to start a vote",
                    ],
                    **AUTH_ERRORS,
                    409: [
                        "A vote is already in progress in this room",
                        "Target is already punished from this room",
                    ],
                    429: [votes.TOO_FAST],
                }
            ),
        },
    )
    def post(self, request: Request) -> Response:
        body = body_object(request)
        vote = vote_start(
            user=request_user(request),
            target_user_id=body.get("targetUserId"),
            duration_secs=body.get("durationSecs"),
        )
        return Response(VoteCreated(vote=vote_summary(vote)), status=201)


class BallotCastApi(APIView):
    @extend_schema(
        summary="Vote yes or no (1.x)",
        description="Resolves the vote at once when the outcome is certain.",
        parameters=[path_id("vote_id")],
        request=component(BallotRequest),
        responses={
            200: component(BallotTally),
            **error_responses(
                {
                    400: ["Invalid vote ID", "voteYes must be a boolean"],
                    **AUTH_ERRORS,
                    403: [
                        "The vote target cannot vote",
                        "You must be in the same room to vote",
                        "You were not in the room when this vote started",
                    ],
                    404: [VOTE_GONE],
                    409: ["You have already voted"],
                }
            ),
        },
    )
    def post(self, request: Request, vote_id: str) -> Response:
        tally = ballot_cast(
            vote_id=parse_id(vote_id, kind="vote"),
            user=request_user(request),
            vote_yes=body_object(request).get("voteYes"),
        )
        return Response(tally)


class PunishmentsActiveApi(APIView):
    @extend_schema(
        summary="The caller's own punishments in force (1.x)",
        responses={200: component(MyPunishments), **error_responses(AUTH_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        rows = user_active_punishments(user_id=request_user(request).pk)
        return Response(MyPunishments(punishments=rows))


class PunishmentLiftApi(APIView):
    @extend_schema(
        summary="End a punishment early: the source room's creator, or staff (1.x + staff)",
        parameters=[path_id("punishment_id")],
        request=None,
        responses={
            200: component(Lifted),
            **error_responses(
                {
                    400: ["Invalid punishment ID"],
                    **AUTH_ERRORS,
                    403: ["Only the room creator can lift punishments"],
                    404: ["Active punishment not found"],
                }
            ),
        },
    )
    def post(self, request: Request, punishment_id: str) -> Response:
        punishment_lift(
            punishment_id=parse_id(punishment_id, kind="punishment"), actor=request_user(request)
        )
        return Response(Lifted(lifted=True))


class RoomPunishmentsApi(APIView):
    @extend_schema(
        summary="Who is jailed from a room right now (1.x)",
        parameters=[path_id("room_id")],
        responses={
            200: component(RoomPunishments),
            **error_responses({400: ["Invalid room ID"], **AUTH_ERRORS}),
        },
    )
    def get(self, request: Request, room_id: str) -> Response:
        rows = room_active_punishments(room_id=parse_id(room_id, kind="room"))
        return Response(RoomPunishments(punishments=rows))
