"""HTTP interface of moderation (1.x `/api/votes`, `/api/punishments`, room punishments):
parse, call one service, serialise."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import request_user
from core.parsers import body_object
from core.parsing import parse_id
from core.schema import AUTH_ERRORS, error_responses, many
from core.timefmt import sql_ts
from moderation.services.punishments import punishment_lift
from moderation.services.votes import VOTE_GONE, ballot_cast, vote_start

from .selectors import room_active_punishments, user_active_punishments


def _path_id(name: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        str,
        OpenApiParameter.PATH,
        description="Parsed like JavaScript parseInt (leading digits win, as 1.x did).",
    )


# --- OpenAPI shapes -----------------------------------------------------------------------------

_SQL_TS = "UTC, YYYY-MM-DD HH:MM:SS"
VOTE_CREATED = inline_serializer(
    "VoteCreated",
    {
        "vote": inline_serializer(
            "VoteSummary",
            {
                "id": serializers.IntegerField(),
                "sourceRoomId": serializers.IntegerField(),
                "targetUserId": serializers.IntegerField(),
                "durationSecs": serializers.IntegerField(
                    help_text="Punishment length if it passes"
                ),
                "eligibleCount": serializers.IntegerField(),
                "expiresAt": serializers.CharField(help_text=_SQL_TS),
            },
        )
    },
)
TALLY = inline_serializer(
    "BallotTally",
    {
        "voteId": serializers.IntegerField(),
        "yesCount": serializers.IntegerField(),
        "noCount": serializers.IntegerField(),
        "eligibleCount": serializers.IntegerField(),
    },
)
MY_PUNISHMENT = inline_serializer(
    "MyPunishment",
    {
        "id": serializers.IntegerField(),
        "sourceRoomId": serializers.IntegerField(),
        "sourceRoomName": serializers.CharField(),
        "jailRoomId": serializers.IntegerField(),
        "jailRoomName": serializers.CharField(),
        "durationSecs": serializers.IntegerField(),
        "expiresAt": serializers.CharField(help_text=_SQL_TS),
    },
)
ROOM_PUNISHMENT = inline_serializer(
    "RoomPunishment",
    {
        "id": serializers.IntegerField(),
        "targetUserId": serializers.IntegerField(),
        "targetUsername": serializers.CharField(),
        "targetDisplayName": serializers.CharField(),
        "durationSecs": serializers.IntegerField(),
        "expiresAt": serializers.CharField(help_text=_SQL_TS),
    },
)


class VoteStartApi(APIView):
    @extend_schema(
        summary="Start a vote to jail someone in the caller's room (1.x)",
        description="The caller's yes is counted at once; vote:started goes to the room.",
        request=inline_serializer(
            "VoteStartRequest",
            {
                "targetUserId": serializers.IntegerField(),
                "durationSecs": serializers.ChoiceField(choices=[60, 300, 900, 1800]),
            },
        ),
        responses={
            201: VOTE_CREATED,
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
        summary = {
            "id": vote.pk,
            "sourceRoomId": vote.source_room_id,
            "targetUserId": vote.target_id,
            "durationSecs": vote.duration_secs,
            "eligibleCount": vote.eligible_count,
            "expiresAt": sql_ts(vote.expires_at),
        }
        return Response({"vote": summary}, status=201)


class BallotCastApi(APIView):
    @extend_schema(
        summary="Vote yes or no (1.x)",
        description="Resolves the vote at once when the outcome is certain.",
        parameters=[_path_id("vote_id")],
        request=inline_serializer("BallotRequest", {"voteYes": serializers.BooleanField()}),
        responses={
            200: TALLY,
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
        return Response(
            {
                "voteId": tally.vote_id,
                "yesCount": tally.yes_count,
                "noCount": tally.no_count,
                "eligibleCount": tally.eligible_count,
            }
        )


class PunishmentsActiveApi(APIView):
    @extend_schema(
        summary="The caller's own punishments in force (1.x)",
        responses={
            200: inline_serializer("MyPunishments", {"punishments": many(MY_PUNISHMENT)}),
            **error_responses(AUTH_ERRORS),
        },
    )
    def get(self, request: Request) -> Response:
        return Response({"punishments": user_active_punishments(user_id=request_user(request).pk)})


class PunishmentLiftApi(APIView):
    @extend_schema(
        summary="End a punishment early: the source room's creator, or staff (1.x + staff)",
        parameters=[_path_id("punishment_id")],
        request=None,
        responses={
            200: inline_serializer("Lifted", {"lifted": serializers.BooleanField()}),
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
        return Response({"lifted": True})


class RoomPunishmentsApi(APIView):
    @extend_schema(
        summary="Who is jailed from a room right now (1.x)",
        parameters=[_path_id("room_id")],
        responses={
            200: inline_serializer("RoomPunishments", {"punishments": many(ROOM_PUNISHMENT)}),
            **error_responses({400: ["Invalid room ID"], **AUTH_ERRORS}),
        },
    )
    def get(self, request: Request, room_id: str) -> Response:
        rows = room_active_punishments(room_id=parse_id(room_id, kind="room"))
        return Response({"punishments": rows})
