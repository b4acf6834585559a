"""HTTP interface of presence: the LiveKit webhook receiver."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiRequest, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.schema import error_responses
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
