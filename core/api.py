"""Process-level endpoints of 1.x: health, ping and server info. No authentication."""

from __future__ import annotations

import time

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .schema import component
from .shapes import Health, Ping, ServerInfo


class _Public(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)


class HealthApi(_Public):
    @extend_schema(summary="Liveness probe", responses={200: component(Health)})
    def get(self, request: Request) -> Response:
        return Response(Health(status="ok"))


class PingApi(_Public):
    @extend_schema(summary="Server clock, in epoch milliseconds", responses={200: component(Ping)})
    def get(self, request: Request) -> Response:
        return Response(Ping(t=int(time.time() * 1000)))


class ServerInfoApi(_Public):
    @extend_schema(
        summary="Where the server is (SERVER_CITY), or null", responses={200: component(ServerInfo)}
    )
    def get(self, request: Request) -> Response:
        return Response(ServerInfo(city=settings.SERVER_CITY))
