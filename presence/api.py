"""HTTP interface of presence: the user directory with who is online, 2.x's heartbeat, and the
LiveKit webhook receiver."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiRequest, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import request_user
from accounts.selectors import user_directory
from core.schema import AUTH_ERRORS, component, error_responses
from presence.selectors import online_user_ids
from presence.services.connections import presence_ping
from presence.services.webhooks import livekit_webhook_receive

from .shapes import HeartbeatReceived, UserList, WebhookReceived


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
        responses={
            200: component(WebhookReceived),
            **error_responses({401: ["Invalid webhook signature"]}),
        },
    )
    def post(self, request: Request) -> Response:
        # The signature covers the exact bytes, so the body is handed over unparsed.
        event = livekit_webhook_receive(
            body=request.body.decode("utf-8", errors="replace"),
            authorization=request.headers.get("Authorization"),
        )
        return Response(WebhookReceived(received=event))


class UserListApi(APIView):
    @extend_schema(
        summary="Every user, online first (1.x)",
        responses={200: component(UserList), **error_responses(AUTH_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        return Response(UserList(users=user_directory(online_ids=online_user_ids())))


class EventsPingApi(APIView):
    @extend_schema(
        summary="Heartbeat of a 2.x client, every 8 s (2.x)",
        description="While the client's heartbeat is under PRESENCE_PING_FRESH_SECONDS old, the "
        "close of its last connection keeps it online and in its room for the long grace "
        "(a reload), else for the short one. Publishes nothing.",
        request=None,
        responses={200: component(HeartbeatReceived), **error_responses(AUTH_ERRORS)},
    )
    def post(self, request: Request) -> Response:
        presence_ping(user=request_user(request))
        return Response(HeartbeatReceived(ok=True))
