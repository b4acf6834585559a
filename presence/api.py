"""HTTP interface of presence: the user directory with who is online, and the LiveKit webhook
receiver."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiRequest, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import user_directory
from core.schema import AUTH_ERRORS, error_responses
from presence.selectors import online_user_ids
from presence.services.webhooks import livekit_webhook_receive

WEBHOOK_RECEIVED = inline_serializer(
    "WebhookReceived",
    {"received": serializers.CharField(help_text="The LiveKit event name, e.g. participant_left")},
)


class LiveKitWebhookApi(APIView):
    """POST /api/livekit/webhook: LiveKit's signed participant events (no user auth; the
    signature over the body is the credential)."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    parser_classes = ()

    @extend_schema(
        summary="Receive a LiveKit webhook",
        description="Sent by the LiveKit server, signed with the API key and secret (a JWT in "
        "Authorization whose sha256 claim is the body's hash). Reconciles room membership with "
        "who LiveKit says is connected, and removes jailed users who reconnect.",
        auth=[],
        request=OpenApiRequest(
            {"type": "object", "description": "LiveKit's WebhookEvent as protobuf JSON"}
        ),
        responses={200: WEBHOOK_RECEIVED, **error_responses({401: ["Invalid webhook signature"]})},
    )
    def post(self, request: Request) -> Response:
        # The signature covers the exact bytes, so the body is handed over unparsed.
        event = livekit_webhook_receive(
            body=request.body.decode("utf-8", errors="replace"),
            authorization=request.headers.get("Authorization"),
        )
        return Response({"received": event})


class UserListApi(APIView):
    @extend_schema(
        summary="Every user, online first (1.x)",
        responses={
            200: inline_serializer(
                "UserList",
                {
                    "users": inline_serializer(
                        "UserListed",
                        {
                            "id": serializers.IntegerField(),
                            "username": serializers.CharField(),
                            "display_name": serializers.CharField(),
                            "last_seen": serializers.CharField(
                                allow_null=True, help_text="UTC, SqlTs"
                            ),
                            "is_online": serializers.BooleanField(),
                        },
                        many=True,
                    )
                },
            ),
            **error_responses(AUTH_ERRORS),
        },
    )
    def get(self, request: Request) -> Response:
        return Response({"users": user_directory(online_ids=online_user_ids())})
