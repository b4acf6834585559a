"""HTTP interface of presence: the LiveKit webhook receiver."""

from __future__ import annotations

from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .services import livekit_webhook_receive


class LiveKitWebhookApi(APIView):
    """POST /api/livekit/webhook: LiveKit's signed participant events (no user auth; the
    signature over the body is the credential)."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    parser_classes = ()

    def post(self, request: Request) -> Response:
        # The signature covers the exact bytes, so the body is handed over unparsed.
        event = livekit_webhook_receive(
            body=request.body.decode("utf-8", errors="replace"),
            authorization=request.headers.get("Authorization"),
        )
        return Response({"received": event})
