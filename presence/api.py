"""HTTP interface of presence: the user directory with who is online, 2.x's heartbeat and
leave, and the LiveKit webhook receiver."""

from __future__ import annotations

import contextlib
import uuid

from drf_spectacular.utils import OpenApiRequest, extend_schema
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import (
    BearerAuthentication,
    BodyTokenAuthentication,
    SessionAuthentication,
    request_user,
)
from accounts.selectors import user_directory
from core.errors import BadRequest
from core.parsers import LenientJSONParser, body_object
from core.schema import AUTH_ERRORS, component, error_responses
from presence.selectors import online_user_ids
from presence.services.connections import presence_leave, presence_ping
from presence.services.webhooks import livekit_webhook_receive

from .shapes import (
    HeartbeatReceived,
    LeaveBeacon,
    LeaveBeaconForm,
    PresenceLeft,
    UserList,
    WebhookReceived,
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


class EventsLeaveApi(APIView):
    """POST /api/events/leave: sent by `navigator.sendBeacon` as a page goes, so it takes the
    bearer token from the JSON body too, or the session cookie with the CSRF token in a form
    (a beacon sets no header). It only ever ends the caller's own presence."""

    authentication_classes = (BearerAuthentication, BodyTokenAuthentication, SessionAuthentication)
    parser_classes = (FormParser, LenientJSONParser)

    @extend_schema(
        summary="Leave on purpose: a page closing, a desktop app quitting (2.x)",
        description="The caller leaves their room at once (user:room_leave, whispers chain "
        "updates) and, if no connection of theirs is left, goes offline at once (user:offline), "
        "ending any grace period. Naming `connection` (our page's beacon) leaves the room only "
        "if the caller has no other connection, and lets that connection's grace decide when "
        "they go offline, so a reload never shows them offline.",
        request={
            "application/json": component(LeaveBeacon),
            "application/x-www-form-urlencoded": component(LeaveBeaconForm),
        },
        responses={
            200: component(PresenceLeft),
            **error_responses(
                {
                    400: ["Invalid connection ID"],
                    **AUTH_ERRORS,
                    403: ["CSRF Failed: <reason>"],
                }
            ),
        },
    )
    def post(self, request: Request) -> Response:
        presence_leave(user=request_user(request), connection_id=_connection_named(request))
        return Response(PresenceLeft(left=True))


def _connection_named(request: Request) -> uuid.UUID | None:
    raw = body_object(request).get("connection")
    if raw is None:
        return None
    if isinstance(raw, str):
        with contextlib.suppress(ValueError):
            return uuid.UUID(raw)
    raise BadRequest("Invalid connection ID")
